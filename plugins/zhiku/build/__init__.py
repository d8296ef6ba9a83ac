"""What a build remembers and decides between runs; nothing here imports MkDocs."""
