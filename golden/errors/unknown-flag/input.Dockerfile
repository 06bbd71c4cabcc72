FROM alpine:3.20
COPY --form=build /out /app
