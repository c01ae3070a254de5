"""A throwaway CA and a certificate for 127.0.0.1/localhost signed by it (openssl CLI), for the
S3 stand-in's HTTPS: clients trust `<dir>/ca.pem` through AWS_CA_BUNDLE.

EC P-256 keys: quick to make and to handshake with. Valid two days; nothing else trusts the CA.
"""

import os
import subprocess


def make_certificates(directory):
    """Writes ca.pem, ca.key, server.pem and server.key into `directory`; returns (ca, cert, key) paths."""
    os.makedirs(directory, exist_ok=True)

    def path(name):
        return os.path.join(directory, name)

    ext = path("server.ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
                "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    steps = [
        ["req", "-x509"] + ec + ["-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "2",
                                 "-subj", "/CN=copypt s3-standin throwaway CA",
                                 "-addext", "basicConstraints=critical,CA:TRUE",
                                 "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ["req"] + ec + ["-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=127.0.0.1"],
        ["x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
         "-CAcreateserial", "-out", path("server.pem"), "-days", "2", "-extfile", ext],
    ]
    for step in steps:
        result = subprocess.run(["openssl"] + step, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("openssl %s failed: %s" % (step[0], result.stderr.strip()[-400:]))
    return path("ca.pem"), path("server.pem"), path("server.key")
