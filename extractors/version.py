"""The extractor version stored with every fact and rule; bump it when output can change."""

EXTRACTOR_VERSION = "0.1.0"
