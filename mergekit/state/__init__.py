"""What mergekit keeps on disk between commands: the paused run's state, written atomically."""
