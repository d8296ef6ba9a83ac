"""The only code that imports MkDocs or Material: thin plugin classes over the core."""
