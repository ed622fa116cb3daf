"""One module per metadata key; each registers its route and its registry entry."""
