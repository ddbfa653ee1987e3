"""What hoshin's SCIM service says of itself (RFC 7644 section 4): its ServiceProviderConfig,
its ResourceTypes and its Schemas. The schemas are scim2-models' core User and Group cut to
the attributes hoshin keeps, so that a client (or scim2-tester) writes only what is kept."""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ETag,
    Filter,
    Group,
    Meta,
    Patch,
    Resource,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
    User,
)

from hoshin.service.scim_directory import MAX_RESULTS

# The attributes hoshin keeps of each resource (and of their complex attributes).
KEPT: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "User": {
        "userName": (),
        "displayName": (),
        "active": (),
        "emails": ("value", "type", "primary"),
        "groups": ("value", "$ref", "display", "type"),
    },
    "Group": {"displayName": (), "members": ("value", "$ref", "type")},
}
MODELS: Final[dict[str, type[Resource[Any]]]] = {"User": User, "Group": Group}


def service_provider_config(base_url: str) -> ServiceProviderConfig:
    """What the service does: patch, filters (up to MAX_RESULTS), ETags; no bulk, no sort,
    no password change; a bearer token authenticates."""
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=True),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A token made by `hoshin scim token --org SLUG`",
                primary=True,
            )
        ],
        meta=Meta(
            resource_type="ServiceProviderConfig", location=f"{base_url}/ServiceProviderConfig"
        ),
    )


def resource_types(base_url: str) -> list[ResourceType]:
    """The User and Group resource types."""
    found = []
    for name, model in MODELS.items():
        kind = ResourceType.from_resource(model)
        kind.meta = Meta(resource_type="ResourceType", location=f"{base_url}/ResourceTypes/{name}")
        found.append(kind)
    return found


def schemas(base_url: str) -> list[Schema]:
    """The User and Group schemas, as hoshin keeps them."""
    found = []
    for name in MODELS:
        schema = _schema(name).model_copy(deep=True)
        schema.meta = Meta(resource_type="Schema", location=f"{base_url}/Schemas/{schema.id}")
        found.append(schema)
    return found


@cache
def _schema(name: str) -> Schema:
    schema = MODELS[name].to_schema()
    kept = KEPT[name]
    attributes = [a for a in schema.attributes or [] if a.name in kept]
    for attribute in attributes:
        if attribute.sub_attributes:
            subs = kept[attribute.name or ""]
            attribute.sub_attributes = [s for s in attribute.sub_attributes if s.name in subs]
    schema.attributes = attributes
    return schema
