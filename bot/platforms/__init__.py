"""Platform adapters: the only modules that may import telegram or discord."""
