// Placeholder: the S3 issue fills this module.
