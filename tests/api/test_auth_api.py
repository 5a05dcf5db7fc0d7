"""Tokens, sign-in throttling and the store/user management endpoints."""
from __future__ import annotations

from sqlalchemy import select


def test_token_then_bearer_calls(books):
    books.store()
    books.user("owner", role="owner")
    client = books.app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "owner", "password": "secret-pass-1"}).json["token"]
    assert client.get("/api/v1/stores", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/api/v1/stores").status_code == 401
    bad = client.get("/api/v1/stores", headers={"Authorization": "Bearer forged"})
    assert bad.status_code == 401 and "Authorization" in bad.json["errors"]


def test_wrong_password_is_401_and_repeated_failures_lock_the_account(books):
    books.user("owner", role="owner")
    client = books.app.test_client()
    for _ in range(5):
        response = client.post("/api/v1/auth/token", json={"username": "owner", "password": "nope-nope"})
        assert response.status_code == 401
    locked = client.post("/api/v1/auth/token", json={"username": "owner", "password": "secret-pass-1"})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


def test_password_change_revokes_old_tokens(books):
    books.user("owner", role="owner")
    api = books.api("owner")
    me = api.get("/api/v1/users").json["items"][0]["id"]
    assert api.patch(f"/api/v1/users/{me}", json={"password": "another-pass-2"}).status_code == 200
    assert api.get("/api/v1/stores").status_code == 401


def test_store_national_password_is_write_only_and_encrypted(app, books):
    books.user("owner", role="owner")
    api = books.api("owner")
    created = api.post("/api/v1/stores", json={
        "code": "CH02", "name": "Nhà thuốc Hòa Bình", "address": "5 Trần Phú", "national_facility_code": "79-0002",
        "national_username": "hoabinh", "national_password": "s3cret-national"})
    assert created.status_code == 201
    assert "national_password" not in created.json and created.json["has_national_password"] is True
    from pharmacy.extensions import db
    from pharmacy.stores.models import Store

    with app.app_context():
        stored = db.session.execute(select(Store).where(Store.code == "CH02")).scalar_one()
        assert "s3cret" not in stored.national_password_encrypted
        assert app.extensions["pharmacy.vault"]().decrypt(stored.national_password_encrypted) == "s3cret-national"
    duplicate = api.post("/api/v1/stores", json={"code": "CH02", "name": "X"})
    assert duplicate.status_code == 409 and "code" in duplicate.json["errors"]
    renamed = api.patch(f"/api/v1/stores/{created.json['id']}", json={"national_api": "v2"})
    assert renamed.json["national_api"] == "v2"


def test_credentials_key_rotation_keeps_old_secrets_readable():
    from pharmacy.security import CredentialVault

    old_key, new_key = CredentialVault.generate_key(), CredentialVault.generate_key()
    token = CredentialVault(old_key).encrypt("pw")
    rotated_vault = CredentialVault(f"{new_key},{old_key}")
    assert rotated_vault.decrypt(token) == "pw"
    assert CredentialVault(new_key).decrypt(rotated_vault.rotate(token)) == "pw"


def test_owner_creates_pharmacist_who_sees_only_own_store(books):
    first, second = books.store("CH01"), books.store("CH02")
    books.user("owner", role="owner")
    owner = books.api("owner")
    made = owner.post("/api/v1/users", json={"username": "lan", "password": "long-enough-1", "role": "pharmacist",
                                             "store_ids": [second]})
    assert made.status_code == 201 and made.json["store_ids"] == [second]
    no_store = owner.post("/api/v1/users", json={"username": "minh", "password": "long-enough-1",
                                                 "role": "pharmacist"})
    assert no_store.status_code == 422 and "store_ids" in no_store.json["errors"]
    lan = books.api("lan", "long-enough-1")
    assert [store["code"] for store in lan.get("/api/v1/stores").json["items"]] == ["CH02"]
    assert lan.get(f"/api/v1/stores/{first}").status_code == 403
