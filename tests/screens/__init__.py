"""Chat screenshot fixtures for the OCR tests and benchmark (issue 14): chats.json and render.py."""
