"""The offline evaluation harness."""
