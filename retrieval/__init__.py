"""The newsbot engine: sources → articles → passages → BM25 over jieba tokens → answers."""
