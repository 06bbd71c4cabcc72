FROM busybox:1.36
ENV BANNER="line one\nline two" \
    PATTERN="^\\d+\\.\\d+$" \
    BELL="\b"
LABEL description="Quotes \"inside\" and a backslash \\ here"
RUN printf '%s\n' "$BANNER" && echo 'single \ quotes keep \b'
CMD echo "$PATTERN"
