"""A source-only VBA project (vbaProject.bin) built from text, per MS-OVBA and MS-CFB."""
