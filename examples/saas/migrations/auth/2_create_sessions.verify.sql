SELECT expire_sessions();
