// Placeholder: the Globus issue fills this module.
