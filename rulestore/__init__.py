"""rulestore: the versioned SQLite rule store, its queries, API and exports."""
