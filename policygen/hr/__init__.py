"""What HR needs beside the text: branding and readability."""
