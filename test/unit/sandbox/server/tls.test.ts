// The https certificate: made once in its folder (a self-signed P-256 certificate for localhost and the loopback
// addresses, which Node clients trust through NODE_EXTRA_CA_CERTS), then read back as it is.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { sandboxCertificate } from '../../../../sandbox/server/tls.ts';

const dir = mkdtempSync(join(tmpdir(), 'tls-test-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('sandboxCertificate', () => {
  it('makes a certificate for localhost and the loopback addresses, signed by its own key', async () => {
    const made = await sandboxCertificate(join(dir, 'tls'));

    const certificate = new X509Certificate(made.cert);
    const key = createPrivateKey(made.key);
    expect({
      subject: certificate.subject, ca: certificate.ca, names: certificate.subjectAltName, curve: key.asymmetricKeyDetails?.namedCurve,
      selfSigned: certificate.verify(certificate.publicKey), matchesKey: certificate.checkPrivateKey(key), path: made.certPath,
    }).toEqual({
      subject: 'CN=localhost', ca: true, names: 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1', curve: 'prime256v1',
      selfSigned: true, matchesKey: true, path: join(dir, 'tls', 'cert.pem'),
    });
    expect(statSync(join(dir, 'tls', 'key.pem')).mode & 0o777).toBe(0o600);
  });

  it('reads the certificate it made instead of making another', async () => {
    const first = await sandboxCertificate(join(dir, 'again'));

    const second = await sandboxCertificate(join(dir, 'again'));

    expect(second).toEqual(first);
  });
});
