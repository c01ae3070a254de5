// Placeholder: the sweep issue fills this module.
import CopyPTGlobus
import CopyPTRecords
import CopyPTS3
