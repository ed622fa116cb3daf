"""One module per ``grant_type``: thin Authlib subclasses whose hooks only call the store."""
