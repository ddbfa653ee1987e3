"""A real SAML identity provider for the tests: pysaml2's ``saml2.server.Server`` with a key
and a self-signed certificate made at test time, which reads hoshin's AuthnRequests and
answers them with (signed) responses, as Entra ID or Okta would."""

from __future__ import annotations

import base64
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

with warnings.catch_warnings():
    # pysaml2's IdP names cryptography's CFB mode at import, which cryptography deprecates
    # (hoshin's service provider never imports it).
    warnings.simplefilter("ignore", CryptographyDeprecationWarning)
    from saml2.server import Server

IDP_ENTITY_ID = "https://idp.example.test/saml/metadata"
IDP_SSO_URL = "https://idp.example.test/saml/sso"
PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


def key_and_certificate(folder: Path, name: str = "idp") -> tuple[Path, Path]:
    """An RSA key and a self-signed certificate for it (a year from yesterday), as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name}.example.test")])
    start = datetime.now(UTC) - timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


@dataclass
class SamlIdp:
    """The identity provider: its metadata (to give hoshin), and answers to AuthnRequests."""

    server: Server
    metadata: str
    sp_entity_id: str
    acs_url: str

    def read_request(self, location: str) -> str:
        """The id of the AuthnRequest that hoshin's redirect (its Location) carries; checks
        that it goes to this IdP by the HTTP-Redirect binding."""
        parts = urlsplit(location)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == IDP_SSO_URL
        saml_request = parse_qs(parts.query)["SAMLRequest"][0]
        request = self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
        assert request.message.assertion_consumer_service_url in (None, self.acs_url)
        return str(request.message.id)

    def answer(
        self,
        in_response_to: str | None,
        *,
        email: str = "ada@example.com",
        name_id: str | None = None,
        attributes: dict[str, list[str]] | None = None,
        signed: bool = True,
        audience: str | None = None,
    ) -> str:
        """A base64 SAMLResponse as the IdP would post it to the ACS: the assertion signed
        (unless not ``signed``), for ``audience`` (default hoshin's entity id)."""
        identity: dict[str, Any] = (
            {"mail": [email], "displayName": ["Ada Lovelace"]} if attributes is None else attributes
        )
        xml = self.server.create_authn_response(
            identity=identity,
            in_response_to=in_response_to,
            destination=self.acs_url,
            sp_entity_id=audience or self.sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=name_id or email),
            authn={"class_ref": PASSWORD},
            sign_assertion=signed,
            sign_response=False,
            sign_alg=SIG_RSA_SHA256,  # what Entra ID, Okta, Google and Keycloak sign with
            digest_alg=DIGEST_SHA256,
        )
        return base64.b64encode(str(xml).encode()).decode()


def make_idp(
    folder: Path, *, sp_metadata: str, sp_entity_id: str, acs_url: str, lifetime_minutes: int = 15
) -> SamlIdp:
    """An IdP that knows hoshin's service provider by its metadata; its assertions are valid
    for ``lifetime_minutes`` (negative: expired when made)."""
    key_file, cert_file = key_and_certificate(folder)
    config = IdPConfig()
    config.load(
        {
            "entityid": IDP_ENTITY_ID,
            "key_file": str(key_file),
            "cert_file": str(cert_file),
            "metadata": {"inline": [sp_metadata]},
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [
                            (IDP_SSO_URL, BINDING_HTTP_REDIRECT),
                            (IDP_SSO_URL, BINDING_HTTP_POST),
                        ]
                    },
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": lifetime_minutes},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
        }
    )
    metadata = create_metadata_string(None, config=config).decode()
    return SamlIdp(Server(config=config), metadata, sp_entity_id, acs_url)
