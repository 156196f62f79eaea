"""Writes Orthanc's JSON configuration from the orthancteam/orthanc environment contract, then
execs Orthanc as the orthanc user. Only the variables docker-compose.yml uses are understood:
ORTHANC__<KEY> (value parsed as JSON when it parses, else kept as a string) and
DICOM_WEB_PLUGIN_ENABLED."""
import glob, json, os, pwd

config = {
    "StorageDirectory": "/var/lib/orthanc/db",
    "IndexDirectory": "/var/lib/orthanc/db",
    "HttpPort": 8042,
    "DicomPort": 4242,
    "RemoteAccessAllowed": True,
    "Plugins": [],
}
for key, raw in os.environ.items():
    if not key.startswith("ORTHANC__"):
        continue
    name = "".join(part.capitalize() if part.isupper() else part for part in key[len("ORTHANC__"):].split("_"))
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    config[name] = value
if os.environ.get("DICOM_WEB_PLUGIN_ENABLED", "").lower() == "true":
    plugins = glob.glob("/usr/share/orthanc/plugins/libOrthancDicomWeb.so*") + glob.glob("/usr/lib/orthanc/libOrthancDicomWeb.so*")
    if not plugins:
        raise SystemExit("DICOM_WEB_PLUGIN_ENABLED=true but the DICOMweb plugin is not installed")
    config["Plugins"] = [plugins[0]]
    config["DicomWeb"] = {"Enable": True, "Root": "/dicom-web/"}

path = "/etc/orthanc-concord.json"
with open(path, "w") as f:
    json.dump(config, f, indent=2)
user = pwd.getpwnam("orthanc")
os.setgid(user.pw_gid)
os.setuid(user.pw_uid)
os.execvp("Orthanc", ["Orthanc", path])
