"""The advisor core: retrieval, lifecycle awareness, answers and reviews. Never imports Slack."""
