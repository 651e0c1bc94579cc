#!/bin/sh
# Starts nginx for the portal (docker-compose.yml's nginx service runs `sh /etc/nginx/intymak/start.sh`).
# With fullchain.pem and privkey.pem in deploy/nginx/certs/ (mounted at /etc/nginx/certs): HTTPS on 443 and HTTP
# redirected to it; without them: plain HTTP on 80, so that a first run works before there is a certificate.
set -eu

certs=/etc/nginx/certs
if [ -s "$certs/fullchain.pem" ] && [ -s "$certs/privkey.pem" ]; then
    site=site-https.conf
    echo "intymak: certificate found in $certs: HTTPS on 443, HTTP redirected to it"
else
    site=site-http.conf
    echo "intymak: no fullchain.pem and privkey.pem in $certs (deploy/nginx/certs/): plain HTTP on 80 only"
fi

# Replaces the image's welcome page.
rm -f /etc/nginx/conf.d/*.conf
cat >/etc/nginx/conf.d/intymak.conf <<CONF
include /etc/nginx/intymak/http.conf;
include /etc/nginx/intymak/$site;
CONF

exec /docker-entrypoint.sh nginx -g 'daemon off;'
