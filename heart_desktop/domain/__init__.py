"""Pure rules of the HEART policy and the HHSRS: no Qt, no SQL, no I/O beyond reading resources."""
