/** Where Orthanc and its DICOMweb plugin are; apart from orthanc.ts so the test preflight can look without starting anything. */
import fs from 'node:fs';
import path from 'node:path';

const INSTALL_HINT = 'install it with `apt-get install -y orthanc orthanc-dicomweb` (npm test does this as root on Debian)';

export function findOrthanc(): string {
  const candidates = [process.env.ORTHANC_BIN, '/usr/sbin/Orthanc', '/usr/bin/Orthanc', '/usr/local/bin/Orthanc'];
  const found = candidates.find((p): p is string => !!p && fs.existsSync(p));
  if (!found) throw new Error(`Orthanc binary not found (set ORTHANC_BIN or ${INSTALL_HINT})`);
  return found;
}

/** Where Debian's orthanc-dicomweb puts the plugin (`dpkg -L orthanc-dicomweb`). */
export function findDicomwebPlugin(): string {
  const candidates = [process.env.ORTHANC_DICOMWEB_PLUGIN, '/usr/share/orthanc/plugins/libOrthancDicomWeb.so'];
  for (const dir of ['/usr/lib/orthanc', '/usr/lib/x86_64-linux-gnu/orthanc']) {
    if (fs.existsSync(dir))
      candidates.push(
        ...fs
          .readdirSync(dir)
          .filter((f) => f.startsWith('libOrthancDicomWeb.so'))
          .map((f) => path.join(dir, f)),
      );
  }
  const found = candidates.find((p): p is string => !!p && fs.existsSync(p));
  if (!found) throw new Error(`Orthanc DICOMweb plugin not found (set ORTHANC_DICOMWEB_PLUGIN or ${INSTALL_HINT})`);
  return found;
}
