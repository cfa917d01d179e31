"""One module per record type, and the genre of the paper they are read from."""
