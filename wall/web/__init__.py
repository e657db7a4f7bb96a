"""HTTP blueprints, named after their audience: screens, moderator, api."""
