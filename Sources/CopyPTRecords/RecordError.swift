// Placeholder: the records issue fills this module.
