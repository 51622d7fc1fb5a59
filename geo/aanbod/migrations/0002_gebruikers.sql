-- Schema version 2: accounts and roles (geo.aanbod.accounts.ACCOUNT_COLUMNS).
-- Passwords only as salted scrypt hashes (made by geo.aanbod.accounts); mislukt and
-- geblokkeerd_tot are the login throttle counters, stored here so the rule holds across
-- processes and servers.

CREATE TABLE gebruikers (
    naam text PRIMARY KEY,
    rol text NOT NULL CHECK (rol IN ('beheerder', 'redacteur')),
    organisatie text,
    email text,
    wachtwoord_hash text,
    mislukt integer NOT NULL DEFAULT 0,
    geblokkeerd_tot text,
    aangemaakt text NOT NULL,
    CHECK (rol <> 'redacteur' OR organisatie IS NOT NULL)
);
CREATE UNIQUE INDEX gebruikers_email_idx ON gebruikers (lower(email)) WHERE email IS NOT NULL;
