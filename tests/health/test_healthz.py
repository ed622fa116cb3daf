"""GET /healthz answers 200 while the database answers and 503 when it does not."""

import requests


def test_healthz_is_ok_when_the_database_answers(live_server):
    response = live_server.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_503_when_the_database_is_gone(fresh_server):
    server = fresh_server()
    db_path = server.store.db.database
    server.store.db.close()
    # Point the store at a path SQLite cannot open (a directory): every thread's next
    # connection fails, as it would if the disk went away.
    server.store.db.init(str(server.settings.data_dir), pragmas=server.store.db._pragmas)
    response = requests.get(server.url + "/healthz", timeout=10)
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    server.store.db.init(db_path, pragmas=server.store.db._pragmas)
