# Orthanc + its DICOMweb plugin from Debian trixie, configured from the same environment
# variables docker-compose.yml gives the orthancteam/orthanc image (DICOM_WEB_PLUGIN_ENABLED,
# ORTHANC__NAME, ORTHANC__AUTHENTICATION_ENABLED, ORTHANC__REGISTERED_USERS); python3 for
# the compose healthcheck and for writing that configuration.
ARG DEBIAN_IMAGE=concord-deploy/debian:trixie
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends orthanc orthanc-dicomweb python3-minimal \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/orthanc/db && chown -R orthanc:orthanc /var/lib/orthanc
COPY deploy/local/orthanc-entrypoint.py /usr/local/bin/orthanc-entrypoint.py
VOLUME ["/var/lib/orthanc/db"]
EXPOSE 8042 4242
ENTRYPOINT ["python3", "/usr/local/bin/orthanc-entrypoint.py"]
