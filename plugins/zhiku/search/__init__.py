"""Chinese full-text search: tokenizer and static index shards; ``assets/`` is the browser side."""
