# nginx from Debian trixie, laid out like the official image: sites in /etc/nginx/conf.d,
# logs to the container's stdout/stderr, wget for the compose healthcheck.
ARG DEBIAN_IMAGE=concord-deploy/debian:trixie
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx wget \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
