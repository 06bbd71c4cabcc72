FROM nginx:1.27-alpine
# paths with spaces need the JSON form
COPY ["site files/index.html", "/usr/share/nginx/html/"]
ADD ["conf/default.conf", "/etc/nginx/conf.d/default.conf"]
COPY --chown=nginx:nginx ["assets/", "/usr/share/nginx/html/assets/"]
EXPOSE 80
