"""Plain words for readers, shared by the models and the pages."""


def format_duration(seconds):
    """Plain words for a length of time: '45 seconds', '5 minutes', '2 min 30 s'."""
    seconds = int(seconds or 0)
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} second{'s' if rest != 1 else ''}"
    if not rest:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{minutes} min {rest} s"
