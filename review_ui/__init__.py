"""review_ui: the reviewers' web application."""
