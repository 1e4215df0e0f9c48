<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Assessment</name>
    <message>
        <source>the console&apos;s bundle version &quot;%2&quot; is not a version: fix the bundle&apos;s version file; no host is changed</source>
        <translation>die Paketversion „%2“ der Konsole ist keine Version: korrigieren Sie die Versionsdatei des Pakets; kein Host wird verändert</translation>
    </message>
    <message>
        <source>no version file on the host: first deployment of %2</source>
        <translation>keine Versionsdatei auf dem Host: erste Verteilung von %2</translation>
    </message>
    <message>
        <source>legacy install (old installers&apos; version files): replacing it with bundle %2</source>
        <translation>Altinstallation (Versionsdateien der alten Installer): wird durch Paket %2 ersetzt</translation>
    </message>
    <message>
        <source>the host&apos;s version file is empty: deploying %2</source>
        <translation>die Versionsdatei des Hosts ist leer: %2 wird verteilt</translation>
    </message>
    <message>
        <source>the host reports the default version %1: deploying %2</source>
        <translation>der Host meldet die Standardversion %1: %2 wird verteilt</translation>
    </message>
    <message>
        <source>the host&apos;s version &quot;%1&quot; is not a version: deploying %2</source>
        <translation>die Version „%1“ des Hosts ist keine Version: %2 wird verteilt</translation>
    </message>
    <message>
        <source>host runs %1, older than bundle %2</source>
        <translation>Host hat %1, älter als Paket %2</translation>
    </message>
    <message>
        <source>host runs %1 but has no deployed manifest, so its files cannot be verified: redeploying</source>
        <translation>Host hat %1, aber kein verteiltes Manifest, daher sind seine Dateien nicht prüfbar: wird neu verteilt</translation>
    </message>
    <message>
        <source>host runs %1 but its files differ from the bundle (manifest digest mismatch): redeploying</source>
        <translation>Host hat %1, aber seine Dateien weichen vom Paket ab (Manifest-Prüfsumme verschieden): wird neu verteilt</translation>
    </message>
    <message>
        <source>host runs %1, the same as the bundle</source>
        <translation>Host hat %1, wie das Paket</translation>
    </message>
    <message>
        <source>host runs %1, newer than bundle %2: not downgrading (force a redeploy to replace it)</source>
        <translation>Host hat %1, neuer als Paket %2: kein Downgrade (erzwungene Neuverteilung ersetzt sie)</translation>
    </message>
    <message>
        <source>host runs %1; redeploying %2 because it was forced</source>
        <translation>Host hat %1; %2 wird neu verteilt, weil es erzwungen wurde</translation>
    </message>
</context>
<context>
    <name>CredentialStore</name>
    <message>
        <source>no keychain service is available (on Linux: a Secret Service such as gnome-keyring or KWallet must run in this session)</source>
        <translation>kein Schlüsselbunddienst verfügbar (unter Linux muss in dieser Sitzung ein Secret Service wie gnome-keyring oder KWallet laufen)</translation>
    </message>
    <message>
        <source>access to the keychain was denied</source>
        <translation>der Zugriff auf den Schlüsselbund wurde verweigert</translation>
    </message>
    <message>
        <source>the keychain refused access (is it locked?)</source>
        <translation>der Schlüsselbund verweigert den Zugriff (ist er gesperrt?)</translation>
    </message>
    <message>
        <source>the keychain entry could not be deleted</source>
        <translation>der Schlüsselbundeintrag konnte nicht gelöscht werden</translation>
    </message>
    <message>
        <source>the keychain does not support this operation on this system</source>
        <translation>der Schlüsselbund unterstützt diesen Vorgang auf diesem System nicht</translation>
    </message>
    <message>
        <source>the keychain reported an error</source>
        <translation>der Schlüsselbund meldete einen Fehler</translation>
    </message>
</context>
<context>
    <name>HostListParser</name>
    <message>
        <source>line %1</source>
        <translation>Zeile %1</translation>
    </message>
    <message>
        <source>no host in the host column</source>
        <translation>kein Host in der Host-Spalte</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a port number</source>
        <translation>„%1“ ist keine Portnummer</translation>
    </message>
</context>
<context>
    <name>HostState</name>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>checking</source>
        <translation>wird geprüft</translation>
    </message>
    <message>
        <source>current</source>
        <translation>aktuell</translation>
    </message>
    <message>
        <source>outdated</source>
        <translation>veraltet</translation>
    </message>
    <message>
        <source>drifted</source>
        <translation>abgewichen</translation>
    </message>
    <message>
        <source>ahead</source>
        <translation>neuer</translation>
    </message>
    <message>
        <source>legacy install</source>
        <translation>Altinstallation</translation>
    </message>
    <message>
        <source>deploying</source>
        <translation>wird verteilt</translation>
    </message>
    <message>
        <source>verifying</source>
        <translation>wird überprüft</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>auth failed</source>
        <translation>Anmeldung fehlgeschlagen</translation>
    </message>
    <message>
        <source>locked by another console</source>
        <translation>von anderer Konsole gesperrt</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>JobState</name>
    <message>
        <source>queued</source>
        <translation>in Warteschlange</translation>
    </message>
    <message>
        <source>waiting for the agent</source>
        <translation>wartet auf den Agenten</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>ProvisioningGate</name>
    <message>
        <source>not a host of this profile</source>
        <translation>kein Host dieses Profils</translation>
    </message>
    <message>
        <source>agent deployment is disabled (%1): provisioning needs the console&apos;s bundle on the host</source>
        <translation>die Agentenverteilung ist deaktiviert (%1): die Bereitstellung braucht das Paket der Konsole auf dem Host</translation>
    </message>
    <message>
        <source>the host runs agent %1 (manifest %2), verified</source>
        <translation>der Host führt Agent %1 aus (Manifest %2), geprüft</translation>
    </message>
    <message>
        <source>waiting: the host runs agent %1, the console ships %2</source>
        <translation>wartet: der Host führt Agent %1 aus, die Konsole liefert %2</translation>
    </message>
    <message>
        <source>waiting for the host&apos;s agent: %1</source>
        <translation>wartet auf den Agenten des Hosts: %1</translation>
    </message>
    <message>
        <source>the host&apos;s agent deployment failed: %1</source>
        <translation>die Agentenverteilung auf den Host ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>(next automatic retry after %1)</source>
        <translation>(nächster automatischer Versuch nach %1)</translation>
    </message>
    <message>
        <source>waiting: checking the host&apos;s agent against bundle %1</source>
        <translation>wartet: der Agent des Hosts wird mit Paket %1 verglichen</translation>
    </message>
    <message>
        <source>the host runs agent %1, newer than the console&apos;s bundle %2; provisioning runs only with the console&apos;s bundle</source>
        <translation>der Host führt Agent %1 aus, neuer als das Paket %2 der Konsole; die Bereitstellung läuft nur mit dem Paket der Konsole</translation>
    </message>
    <message>
        <source>waiting: checking the host&apos;s agent</source>
        <translation>wartet: der Agent des Hosts wird geprüft</translation>
    </message>
    <message>
        <source>the host&apos;s agent is not ready: %1</source>
        <translation>der Agent des Hosts ist nicht bereit: %1</translation>
    </message>
</context>
<context>
    <name>ProvisioningJob</name>
    <message>
        <source>VM %1 is provisioned (id %2)</source>
        <translation>VM %1 ist bereitgestellt (ID %2)</translation>
    </message>
</context>
<context>
    <name>RolloutSummary</name>
    <message>
        <source>provisioning available on %1 of %2 hosts</source>
        <translation>Bereitstellung möglich auf %1 von %2 Hosts</translation>
    </message>
    <message>
        <source>provisioning unavailable: no host is ready</source>
        <translation>Bereitstellung nicht möglich: kein Host ist bereit</translation>
    </message>
    <message>
        <source>Agent deployment disabled: %1</source>
        <translation>Agentenverteilung deaktiviert: %1</translation>
    </message>
    <message>
        <source>Agent deployment: this profile has no hosts; add hosts to deploy</source>
        <translation>Agentenverteilung: dieses Profil hat keine Hosts; fügen Sie Hosts hinzu, um zu verteilen</translation>
    </message>
    <message>
        <source>Agent deployment: bundle %1 ready; hosts not checked yet</source>
        <translation>Agentenverteilung: Paket %1 bereit; Hosts noch nicht geprüft</translation>
    </message>
    <message>
        <source>Agent deployment running: %1 of %2 hosts complete</source>
        <translation>Agentenverteilung läuft: %1 von %2 Hosts fertig</translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n fehlgeschlagen</numerusform>
            <numerusform>%n fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Agent deployment complete: %1 hosts run bundle %2, %3 left alone (newer version); %4</source>
        <translation>Agentenverteilung abgeschlossen: %1 Hosts haben Paket %2, %3 unverändert (neuere Version); %4</translation>
    </message>
    <message numerus="yes">
        <source>Agent deployment complete: all %n hosts run bundle %1; %2</source>
        <translation>
            <numerusform>Agentenverteilung abgeschlossen: der Host hat Paket %1; %2</numerusform>
            <numerusform>Agentenverteilung abgeschlossen: alle %n Hosts haben Paket %1; %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Agent deployment finished with %n failed host(s) of %1; last error on %2: %3; %4</source>
        <translation>
            <numerusform>Agentenverteilung beendet mit %n fehlgeschlagenen Host von %1; letzter Fehler auf %2: %3; %4</numerusform>
            <numerusform>Agentenverteilung beendet mit %n fehlgeschlagenen Hosts von %1; letzter Fehler auf %2: %3; %4</numerusform>
        </translation>
    </message>
    <message>
        <source>Agent deployment cancelled after %1 of %2 hosts; %3</source>
        <translation>Agentenverteilung abgebrochen nach %1 von %2 Hosts; %3</translation>
    </message>
</context>
<context>
    <name>SettingsStore</name>
    <message>
        <source>the settings file cannot be written (access denied)</source>
        <translation>die Einstellungsdatei kann nicht geschrieben werden (Zugriff verweigert)</translation>
    </message>
    <message>
        <source>the settings file is damaged and cannot be read</source>
        <translation>die Einstellungsdatei ist beschädigt und kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>the settings file has an invalid schema version; fix or remove the file</source>
        <translation>die Einstellungsdatei hat eine ungültige Schemaversion; korrigieren oder entfernen Sie die Datei</translation>
    </message>
    <message>
        <source>the settings were written by a newer Aether-V (schema %1, this build knows %2); they are read-only here</source>
        <translation>die Einstellungen stammen von einem neueren Aether-V (Schema %1, dieser Build kennt %2); hier sind sie schreibgeschützt</translation>
    </message>
    <message>
        <source>profile %1 in the settings file cannot be migrated: %2; fix or remove the entry</source>
        <translation>Profil %1 in der Einstellungsdatei kann nicht migriert werden: %2; korrigieren oder entfernen Sie den Eintrag</translation>
    </message>
    <message>
        <source>there is no profile %1</source>
        <translation>es gibt kein Profil %1</translation>
    </message>
    <message>
        <source>profile %1 in the settings file cannot be read: %2</source>
        <translation>Profil %1 in der Einstellungsdatei kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>profile id &quot;%1&quot; is not valid: use letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;</source>
        <translation>Profil-ID „%1“ ist ungültig: verwenden Sie Buchstaben, Ziffern, „-“, „_“ und „.“</translation>
    </message>
    <message>
        <source>two profiles share the id %1</source>
        <translation>zwei Profile haben dieselbe ID %1</translation>
    </message>
</context>
<context>
    <name>aetherv::appcommon::CredentialStore</name>
    <message>
        <source>both AETHERV_WINRM_PASSWORD and AETHERV_WINRM_PASSWORD_FILE are set; set only one of them</source>
        <translation>AETHERV_WINRM_PASSWORD und AETHERV_WINRM_PASSWORD_FILE sind beide gesetzt; setzen Sie nur eine davon</translation>
    </message>
    <message>
        <source>AETHERV_WINRM_PASSWORD is set but empty; set the password or unset the variable</source>
        <translation>AETHERV_WINRM_PASSWORD ist gesetzt, aber leer; setzen Sie das Passwort oder entfernen Sie die Variable</translation>
    </message>
    <message>
        <source>no password given: set AETHERV_WINRM_PASSWORD, or put the password in a file readable only by you (chmod 600) and set AETHERV_WINRM_PASSWORD_FILE to its path</source>
        <translation>kein Passwort angegeben: setzen Sie AETHERV_WINRM_PASSWORD oder legen Sie das Passwort in eine nur für Sie lesbare Datei (chmod 600) und setzen Sie AETHERV_WINRM_PASSWORD_FILE auf deren Pfad</translation>
    </message>
    <message>
        <source>the password file named by AETHERV_WINRM_PASSWORD_FILE cannot be opened (it must be a regular file, not a symbolic link)</source>
        <translation>die in AETHERV_WINRM_PASSWORD_FILE genannte Passwortdatei kann nicht geöffnet werden (sie muss eine reguläre Datei sein, kein symbolischer Link)</translation>
    </message>
    <message>
        <source>the password file named by AETHERV_WINRM_PASSWORD_FILE is not a regular file</source>
        <translation>die in AETHERV_WINRM_PASSWORD_FILE genannte Passwortdatei ist keine reguläre Datei</translation>
    </message>
    <message>
        <source>the password file named by AETHERV_WINRM_PASSWORD_FILE must be owned by the user running aetherv</source>
        <translation>die in AETHERV_WINRM_PASSWORD_FILE genannte Passwortdatei muss dem Benutzer gehören, der aetherv ausführt</translation>
    </message>
    <message>
        <source>the password file named by AETHERV_WINRM_PASSWORD_FILE is accessible by other users; run chmod 600 on it</source>
        <translation>die in AETHERV_WINRM_PASSWORD_FILE genannte Passwortdatei ist für andere Benutzer zugänglich; führen Sie chmod 600 darauf aus</translation>
    </message>
    <message>
        <source>the password file named by AETHERV_WINRM_PASSWORD_FILE is too large to hold a password</source>
        <translation>die in AETHERV_WINRM_PASSWORD_FILE genannte Passwortdatei ist zu groß für ein Passwort</translation>
    </message>
    <message>
        <source>the password file named by AETHERV_WINRM_PASSWORD_FILE cannot be read</source>
        <translation>die in AETHERV_WINRM_PASSWORD_FILE genannte Passwortdatei kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>the password file named by AETHERV_WINRM_PASSWORD_FILE is empty</source>
        <translation>die in AETHERV_WINRM_PASSWORD_FILE genannte Passwortdatei ist leer</translation>
    </message>
</context>
<context>
    <name>aetherv::deploy::HostDeploymentService</name>
    <message>
        <source>no agent bundle loaded yet</source>
        <translation>noch kein Agentenpaket geladen</translation>
    </message>
    <message>
        <source>no usable agent bundle</source>
        <translation>kein verwendbares Agentenpaket</translation>
    </message>
    <message>
        <source>Agent deployment disabled: %1</source>
        <translation>Agentenverteilung deaktiviert: %1</translation>
    </message>
    <message>
        <source>skipped: another operation is running on this host</source>
        <translation>übersprungen: auf diesem Host läuft bereits ein anderer Vorgang</translation>
    </message>
    <message>
        <source>reading the installed version</source>
        <translation>installierte Version wird gelesen</translation>
    </message>
    <message>
        <source>version check of %1</source>
        <translation>Versionsprüfung von %1</translation>
    </message>
    <message>
        <source>cancelled before anything was changed on the host</source>
        <translation>abgebrochen, bevor auf dem Host etwas geändert wurde</translation>
    </message>
    <message>
        <source>host runs %1; cannot compare: %2</source>
        <translation>Host hat %1; kein Vergleich möglich: %2</translation>
    </message>
    <message>
        <source>no version</source>
        <translation>keine Version</translation>
    </message>
    <message>
        <source>legacy install (scripts %1, ISOs %2): %3</source>
        <translation>Altinstallation (Skripte %1, ISOs %2): %3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>waiting for the artifact URL to serve the bundle</source>
        <translation>warte, bis die Artefakt-URL das Paket ausliefert</translation>
    </message>
    <message>
        <source>artifact URL %1 serves the bundle</source>
        <translation>Artefakt-URL %1 liefert das Paket aus</translation>
    </message>
    <message>
        <source>deploying bundle %1</source>
        <translation>Paket %1 wird verteilt</translation>
    </message>
    <message>
        <source>deployment to %1</source>
        <translation>Verteilung auf %1</translation>
    </message>
    <message>
        <source>verifying the host&apos;s files and version</source>
        <translation>Dateien und Version des Hosts werden überprüft</translation>
    </message>
    <message>
        <source>deployment cancelled; the host keeps its previous complete set unless activation had finished (check it to see)</source>
        <translation>Verteilung abgebrochen; der Host behält seinen vorherigen vollständigen Stand, sofern die Aktivierung nicht schon abgeschlossen war (zum Nachsehen prüfen)</translation>
    </message>
    <message>
        <source>locked by %1 until %2: another console is deploying; retry later</source>
        <translation>gesperrt von %1 bis %2: eine andere Konsole verteilt gerade; später erneut versuchen</translation>
    </message>
    <message>
        <source>the deployment failed</source>
        <translation>die Verteilung ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>deployment reported %1 but the host could not be re-read: %2</source>
        <translation>Verteilung meldete %1, aber der Host konnte nicht erneut gelesen werden: %2</translation>
    </message>
    <message>
        <source>deployment reported %1 but the host now reports version %2 with manifest digest %3, not %4/%5</source>
        <translation>Verteilung meldete %1, aber der Host meldet jetzt Version %2 mit Manifest-Prüfsumme %3, nicht %4/%5</translation>
    </message>
    <message>
        <source>deployed %1: %2 files downloaded, %3 already in place, verified on the host</source>
        <translation>%1 verteilt: %2 Dateien heruntergeladen, %3 bereits vorhanden, auf dem Host überprüft</translation>
    </message>
    <message>
        <source>already current (another console finished first); verified on the host</source>
        <translation>bereits aktuell (eine andere Konsole war schneller); auf dem Host überprüft</translation>
    </message>
    <message>
        <source>not a host of this profile</source>
        <translation>kein Host dieses Profils</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>noch nicht geprüft</translation>
    </message>
    <message>
        <source>not deployed: %1</source>
        <translation>nicht verteilt: %1</translation>
    </message>
</context>
<context>
    <name>aetherv::provision::ProvisioningService</name>
    <message numerus="yes">
        <source>the job is invalid (%n problem(s)); nothing was sent to %1</source>
        <translation>
            <numerusform>der Auftrag ist ungültig (%n Problem); an %1 wurde nichts gesendet</numerusform>
            <numerusform>der Auftrag ist ungültig (%n Probleme); an %1 wurde nichts gesendet</numerusform>
        </translation>
    </message>
    <message>
        <source>queued</source>
        <translation>in Warteschlange</translation>
    </message>
    <message>
        <source>cancelled before it started; nothing changed on the host</source>
        <translation>vor dem Start abgebrochen; auf dem Host hat sich nichts geändert</translation>
    </message>
    <message>
        <source>queued behind job %1 on this host (one job per host at a time)</source>
        <translation>wartet hinter Auftrag %1 auf diesem Host (ein Auftrag je Host gleichzeitig)</translation>
    </message>
    <message>
        <source>the console has no deployment service</source>
        <translation>die Konsole hat keinen Verteilungsdienst</translation>
    </message>
    <message>
        <source>no agent bundle loaded</source>
        <translation>kein Agentenpaket geladen</translation>
    </message>
    <message>
        <source>running Invoke-ProvisioningJob.ps1 from %1</source>
        <translation>Invoke-ProvisioningJob.ps1 läuft aus %1</translation>
    </message>
    <message>
        <source>provisioning %1 on %2</source>
        <translation>Bereitstellung von %1 auf %2</translation>
    </message>
    <message>
        <source>cancelled while running; the steps show what exists on the host</source>
        <translation>während der Ausführung abgebrochen; die Schritte zeigen, was auf dem Host existiert</translation>
    </message>
    <message>
        <source>the job could not be run on the host</source>
        <translation>der Auftrag konnte auf dem Host nicht ausgeführt werden</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::ConsoleSession</name>
    <message>
        <source>The artifact server could not start on %1 port %2: %3</source>
        <translation>Der Artefakt-Server konnte auf %1 Port %2 nicht starten: %3</translation>
    </message>
    <message>
        <source>Artifact server listening on %1</source>
        <translation>Artefakt-Server lauscht auf %1</translation>
    </message>
    <message>
        <source>Hashing the agent bundle in %1</source>
        <translation>Prüfsummen des Agentenpakets in %1 werden berechnet</translation>
    </message>
    <message>
        <source>the agent bundle in %1 cannot be used: %2</source>
        <translation>das Agentenpaket in %1 ist nicht verwendbar: %2</translation>
    </message>
    <message numerus="yes">
        <source>Agent bundle %1: %n file(s), %2</source>
        <translation>
            <numerusform>Agentenpaket %1: %n Datei, %2</numerusform>
            <numerusform>Agentenpaket %1: %n Dateien, %2</numerusform>
        </translation>
    </message>
    <message>
        <source>the artifact server is not running: %1</source>
        <translation>der Artefakt-Server läuft nicht: %1</translation>
    </message>
    <message>
        <source>the download URL is not usable: %1</source>
        <translation>die Download-URL ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>Startup deployment started</source>
        <translation>Startverteilung begonnen</translation>
    </message>
    <message>
        <source>Artifact server stopped</source>
        <translation>Artefakt-Server angehalten</translation>
    </message>
    <message>
        <source>Artifact server %1: hashing the bundle…</source>
        <translation>Artefakt-Server %1: Prüfsummen des Pakets werden berechnet …</translation>
    </message>
    <message>
        <source>Artifact server %1: serving bundle %2</source>
        <translation>Artefakt-Server %1: liefert Paket %2 aus</translation>
    </message>
    <message>
        <source>Artifact server %1: not ready (%2)</source>
        <translation>Artefakt-Server %1: nicht bereit (%2)</translation>
    </message>
    <message>
        <source>Artifact server failed: %1</source>
        <translation>Artefakt-Server fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Smoke test started</source>
        <translation>Schnelltest begonnen</translation>
    </message>
    <message>
        <source>smoke test of %1</source>
        <translation>Schnelltest von %1</translation>
    </message>
    <message>
        <source>smoke test cancelled</source>
        <translation>Schnelltest abgebrochen</translation>
    </message>
    <message>
        <source>smoke test could not run: %1</source>
        <translation>Schnelltest konnte nicht laufen: %1</translation>
    </message>
    <message>
        <source>smoke test failed on the host: %1</source>
        <translation>Schnelltest auf dem Host fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>smoke test failed: the install directory %1 does not exist</source>
        <translation>Schnelltest fehlgeschlagen: das Installationsverzeichnis %1 existiert nicht</translation>
    </message>
    <message>
        <source>smoke test incomplete: no bundle loaded to compare with</source>
        <translation>Schnelltest unvollständig: kein Paket zum Vergleichen geladen</translation>
    </message>
    <message>
        <source>missing: %1</source>
        <translation>fehlt: %1</translation>
    </message>
    <message>
        <source>different content: %1</source>
        <translation>anderer Inhalt: %1</translation>
    </message>
    <message>
        <source>not in the bundle: %1</source>
        <translation>nicht im Paket: %1</translation>
    </message>
    <message>
        <source>version file says &quot;%1&quot;, bundle is %2</source>
        <translation>Versionsdatei sagt „%1“, Paket ist %2</translation>
    </message>
    <message>
        <source>deployed manifest digest differs from the bundle&apos;s</source>
        <translation>Prüfsumme des verteilten Manifests weicht von der des Pakets ab</translation>
    </message>
    <message>
        <source>smoke test failed: %1</source>
        <translation>Schnelltest fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>smoke test passed: %n file(s) match bundle %1</source>
        <translation>
            <numerusform>Schnelltest bestanden: %n Datei stimmt mit Paket %1 überein</numerusform>
            <numerusform>Schnelltest bestanden: %n Dateien stimmen mit Paket %1 überein</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aetherv::ui::CredentialsDialog</name>
    <message>
        <source>&amp;Remember the password in the system keychain</source>
        <translation>Passwort im System-Schlüsselbund &amp;merken</translation>
    </message>
    <message>
        <source>Credentials for %1</source>
        <translation>Anmeldedaten für %1</translation>
    </message>
    <message>
        <source>DOMAIN\user or user@realm</source>
        <translation>DOMÄNE\benutzer oder benutzer@realm</translation>
    </message>
    <message>
        <source>The password is kept in the system keychain under profile %1; it is never written to the settings file.</source>
        <translation>Das Passwort liegt im System-Schlüsselbund unter Profil %1; es wird nie in die Einstellungsdatei geschrieben.</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>&amp;Delete stored password</source>
        <translation>Gespeichertes Passwort &amp;löschen</translation>
    </message>
    <message>
        <source>Enter the user as DOMAIN\user or user@realm.</source>
        <translation>Geben Sie den Benutzer als DOMÄNE\benutzer oder benutzer@realm ein.</translation>
    </message>
    <message>
        <source>Use either DOMAIN\user or user@realm, not both.</source>
        <translation>Verwenden Sie entweder DOMÄNE\benutzer oder benutzer@realm, nicht beides.</translation>
    </message>
    <message>
        <source>The user name is incomplete.</source>
        <translation>Der Benutzername ist unvollständig.</translation>
    </message>
    <message>
        <source>Looking in the keychain…</source>
        <translation>Schlüsselbund wird durchsucht …</translation>
    </message>
    <message>
        <source>A password is stored for this user.</source>
        <translation>Für diesen Benutzer ist ein Passwort gespeichert.</translation>
    </message>
    <message>
        <source>No password is stored for this user yet.</source>
        <translation>Für diesen Benutzer ist noch kein Passwort gespeichert.</translation>
    </message>
    <message>
        <source>The keychain could not be read: %1</source>
        <translation>Der Schlüsselbund konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Enter the password.</source>
        <translation>Geben Sie das Passwort ein.</translation>
    </message>
    <message>
        <source>Storing the password in the keychain…</source>
        <translation>Passwort wird im Schlüsselbund gespeichert …</translation>
    </message>
    <message>
        <source>The keychain could not store the password: %1</source>
        <translation>Der Schlüsselbund konnte das Passwort nicht speichern: %1</translation>
    </message>
    <message>
        <source>Deleting the stored password…</source>
        <translation>Gespeichertes Passwort wird gelöscht …</translation>
    </message>
    <message>
        <source>The keychain could not delete the password: %1</source>
        <translation>Der Schlüsselbund konnte das Passwort nicht löschen: %1</translation>
    </message>
    <message>
        <source>No password is stored for this user now.</source>
        <translation>Für diesen Benutzer ist jetzt kein Passwort gespeichert.</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::DiagnosticsDialog</name>
    <message>
        <source>Diagnostics</source>
        <translation>Diagnose</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Messwert</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>&amp;Copy as JSON</source>
        <translation>Als JSON &amp;kopieren</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n Eintrag</numerusform>
            <numerusform>%n Einträge</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n items</source>
        <translation>
            <numerusform>%n Element</numerusform>
            <numerusform>%n Elemente</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aetherv::ui::HostFilterProxyModel</name>
    <message>
        <source>All states</source>
        <translation>Alle Zustände</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Braucht Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>Needs the bundle</source>
        <extracomment>state filter: outdated, drifted or legacy hosts</extracomment>
        <translation>Braucht das Paket</translation>
    </message>
    <message>
        <source>Current or ahead</source>
        <translation>Aktuell oder neuer</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>Nicht geprüft</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::HostTableModel</name>
    <message>
        <source>%1 s</source>
        <comment>duration in seconds</comment>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <comment>duration</comment>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <comment>duration</comment>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 % · %2 of %3</source>
        <extracomment>progress of one host&apos;s download: percent, bytes done, bytes total</extracomment>
        <translation>%1 % · %2 von %3</translation>
    </message>
    <message>
        <source>Locked by %1</source>
        <translation>Gesperrt von %1</translation>
    </message>
    <message>
        <source>Downloading %1</source>
        <translation>%1 wird heruntergeladen</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Host version</source>
        <translation>Host-Version</translation>
    </message>
    <message>
        <source>Bundle version</source>
        <translation>Paketversion</translation>
    </message>
    <message>
        <source>Progress</source>
        <extracomment>column header: download progress of this rollout</extracomment>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Last checked</source>
        <translation>Zuletzt geprüft</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <comment>duration in milliseconds</comment>
        <translation>%1 ms</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::LogPane</name>
    <message>
        <source>Copy log</source>
        <translation>Protokoll kopieren</translation>
    </message>
    <message>
        <source>Copy every line shown to the clipboard</source>
        <translation>Alle angezeigten Zeilen in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Console events</source>
        <translation>Konsolenereignisse</translation>
    </message>
    <message>
        <source>Log of %1</source>
        <translation>Protokoll von %1</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::MainWindow</name>
    <message>
        <source>Aether-V Agent Console</source>
        <translation>Aether-V Agent-Konsole</translation>
    </message>
    <message>
        <source>&amp;Check versions</source>
        <translation>Versionen &amp;prüfen</translation>
    </message>
    <message>
        <source>Read the installed version on the selected hosts (all hosts when none is selected)</source>
        <translation>Die installierte Version auf den ausgewählten Hosts lesen (auf allen, wenn keiner ausgewählt ist)</translation>
    </message>
    <message>
        <source>Deploy &amp;outdated</source>
        <translation>&amp;Veraltete verteilen</translation>
    </message>
    <message>
        <source>Check every host and deploy the bundle where it is missing, older or drifted</source>
        <translation>Jeden Host prüfen und das Paket verteilen, wo es fehlt, älter oder abgewichen ist</translation>
    </message>
    <message>
        <source>Deploy &amp;selected</source>
        <translation>&amp;Ausgewählte verteilen</translation>
    </message>
    <message>
        <source>Deploy the bundle to the selected hosts where they need it</source>
        <translation>Das Paket auf die ausgewählten Hosts verteilen, wo sie es brauchen</translation>
    </message>
    <message>
        <source>&amp;Force redeploy…</source>
        <translation>Neuverteilung &amp;erzwingen …</translation>
    </message>
    <message>
        <source>Redeploy the bundle to the selected hosts even where it is current</source>
        <translation>Das Paket auf die ausgewählten Hosts neu verteilen, auch wo es aktuell ist</translation>
    </message>
    <message>
        <source>C&amp;ancel</source>
        <translation>Ab&amp;brechen</translation>
    </message>
    <message>
        <source>Cancel the running operations; hosts keep their previous complete set</source>
        <translation>Laufende Vorgänge abbrechen; Hosts behalten ihren vorherigen vollständigen Stand</translation>
    </message>
    <message>
        <source>S&amp;moke test</source>
        <translation>&amp;Schnelltest</translation>
    </message>
    <message>
        <source>List the install directory on the host and compare every file with the bundle</source>
        <translation>Das Installationsverzeichnis auf dem Host auflisten und jede Datei mit dem Paket vergleichen</translation>
    </message>
    <message>
        <source>Copy &amp;error</source>
        <translation>&amp;Fehler kopieren</translation>
    </message>
    <message>
        <source>Copy the selected hosts&apos; messages to the clipboard</source>
        <translation>Die Meldungen der ausgewählten Hosts in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Show &amp;log</source>
        <translation>Pro&amp;tokoll zeigen</translation>
    </message>
    <message>
        <source>Show the selected host&apos;s log below the table</source>
        <translation>Das Protokoll des ausgewählten Hosts unter der Tabelle zeigen</translation>
    </message>
    <message>
        <source>&amp;Console</source>
        <translation>&amp;Konsole</translation>
    </message>
    <message>
        <source>&amp;Profiles…</source>
        <translation>&amp;Profile …</translation>
    </message>
    <message>
        <source>C&amp;redentials…</source>
        <translation>&amp;Anmeldedaten …</translation>
    </message>
    <message>
        <source>&amp;Diagnostics…</source>
        <translation>&amp;Diagnose …</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Hosts</source>
        <translation>&amp;Hosts</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemvorgabe</translation>
    </message>
    <message>
        <source>The language changes when the console is restarted.</source>
        <translation>Die Sprache wechselt beim nächsten Start der Konsole.</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Aether-V</source>
        <translation>Ü&amp;ber Aether-V</translation>
    </message>
    <message>
        <source>About Aether-V</source>
        <translation>Über Aether-V</translation>
    </message>
    <message>
        <source>Aether-V Agent Console %1
Keeps Hyper-V hosts in sync with the agent bundle.</source>
        <translation>Aether-V Agent-Konsole %1
Hält Hyper-V-Hosts mit dem Agentenpaket synchron.</translation>
    </message>
    <message>
        <source>Rollout</source>
        <translation>Verteilung</translation>
    </message>
    <message>
        <source>Profile:</source>
        <translation>Profil:</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>Filter hosts, versions, messages…</source>
        <translation>Hosts, Versionen, Meldungen filtern …</translation>
    </message>
    <message>
        <source>No profile yet: create one under Console → Profiles…</source>
        <translation>Noch kein Profil: legen Sie eines unter Konsole → Profile … an</translation>
    </message>
    <message>
        <source>Switch profile</source>
        <translation>Profil wechseln</translation>
    </message>
    <message>
        <source>A rollout is running on profile %1. Switching cancels it. Switch anyway?</source>
        <translation>Auf Profil %1 läuft eine Verteilung. Ein Wechsel bricht sie ab. Trotzdem wechseln?</translation>
    </message>
    <message>
        <source>Aether-V Agent Console — %1</source>
        <translation>Aether-V Agent-Konsole — %1</translation>
    </message>
    <message>
        <source>No password for %1: the profile&apos;s hosts cannot be reached. Open Console → Credentials… to enter it.</source>
        <translation>Kein Passwort für %1: die Hosts des Profils sind nicht erreichbar. Öffnen Sie Konsole → Anmeldedaten …, um es einzugeben.</translation>
    </message>
    <message>
        <source>No password is stored for %1 in profile %2.</source>
        <translation>Für %1 ist in Profil %2 kein Passwort gespeichert.</translation>
    </message>
    <message>
        <source>The keychain could not be read: %1</source>
        <translation>Der Schlüsselbund konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>This console has no way to reach hosts (no executor).</source>
        <translation>Diese Konsole kann keine Hosts erreichen (kein Ausführer).</translation>
    </message>
    <message>
        <source>no executor for this profile</source>
        <translation>kein Ausführer für dieses Profil</translation>
    </message>
    <message>
        <source>Profile %1 cannot reach its hosts: %2</source>
        <translation>Profil %1 kann seine Hosts nicht erreichen: %2</translation>
    </message>
    <message>
        <source>Artifact server not running</source>
        <translation>Artefakt-Server läuft nicht</translation>
    </message>
    <message numerus="yes">
        <source>%n host(s)</source>
        <translation>
            <numerusform>%n Host</numerusform>
            <numerusform>%n Hosts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n host(s) shown</source>
        <translation>
            <numerusform>%1 von %n Host angezeigt</numerusform>
            <numerusform>%1 von %n Hosts angezeigt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n selected</source>
        <translation>
            <numerusform>%n ausgewählt</numerusform>
            <numerusform>%n ausgewählt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 und %n weiterer</numerusform>
            <numerusform>%1 und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking every host</source>
        <translation>Alle Hosts werden geprüft</translation>
    </message>
    <message>
        <source>Checking %1</source>
        <translation>%1 wird geprüft</translation>
    </message>
    <message>
        <source>Deploying bundle to every host that needs it</source>
        <translation>Paket wird auf alle Hosts verteilt, die es brauchen</translation>
    </message>
    <message>
        <source>Deploying bundle to %1</source>
        <translation>Paket wird auf %1 verteilt</translation>
    </message>
    <message>
        <source>Force redeploy</source>
        <translation>Neuverteilung erzwingen</translation>
    </message>
    <message numerus="yes">
        <source>Redeploy bundle %1 to %n host(s) of profile %2, even where it is current?

%3</source>
        <translation>
            <numerusform>Paket %1 auf %n Host von Profil %2 neu verteilen, auch wo es aktuell ist?

%3</numerusform>
            <numerusform>Paket %1 auf %n Hosts von Profil %2 neu verteilen, auch wo es aktuell ist?

%3</numerusform>
        </translation>
    </message>
    <message>
        <source>Force redeploy to %1</source>
        <translation>Erzwungene Neuverteilung auf %1</translation>
    </message>
    <message>
        <source>Cancelling the running operations</source>
        <translation>Laufende Vorgänge werden abgebrochen</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n message(s)</source>
        <translation>
            <numerusform>%n Meldung kopiert</numerusform>
            <numerusform>%n Meldungen kopiert</numerusform>
        </translation>
    </message>
    <message>
        <source>The profiles could not be saved: %1</source>
        <translation>Die Profile konnten nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Profile %1 changed; restarting its session</source>
        <translation>Profil %1 wurde geändert; seine Sitzung startet neu</translation>
    </message>
    <message>
        <source>Select a profile first.</source>
        <translation>Wählen Sie zuerst ein Profil.</translation>
    </message>
    <message>
        <source>Profile %1 has errors; fix them under Console → Profiles…</source>
        <translation>Profil %1 hat Fehler; beheben Sie sie unter Konsole → Profile …</translation>
    </message>
    <message>
        <source>&amp;Provision VM…</source>
        <translation>VM &amp;bereitstellen …</translation>
    </message>
    <message>
        <source>Create and provision a VM on the selected host; it starts once the host&apos;s agent runs the console&apos;s bundle</source>
        <translation>Eine VM auf dem ausgewählten Host anlegen und bereitstellen; sie startet, sobald der Agent des Hosts das Paket der Konsole ausführt</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Provisioning jobs</source>
        <translation>Bereitstellungsaufträge</translation>
    </message>
    <message>
        <source>provisioning %1: %2</source>
        <translation>Bereitstellung %1: %2</translation>
    </message>
    <message>
        <source>provisioning %1 %2: %3</source>
        <translation>Bereitstellung %1 %2: %3</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::ProfileEditor</name>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <source>WinRM</source>
        <translation>WinRM</translation>
    </message>
    <message>
        <source>Artifact server</source>
        <translation>Artefakt-Server</translation>
    </message>
    <message>
        <source>Tasks and policy</source>
        <translation>Aufgaben und Richtlinien</translation>
    </message>
    <message>
        <source> s</source>
        <comment>unit suffix: seconds</comment>
        <translation> s</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Development</source>
        <translation>Entwicklung</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Production</source>
        <translation>Produktion</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation>&amp;Umgebung:</translation>
    </message>
    <message>
        <source>Id:</source>
        <translation>ID:</translation>
    </message>
    <message>
        <source>Stable identifier; keys the keychain entry and the settings group</source>
        <translation>Feste Kennung; Schlüssel des Schlüsselbundeintrags und der Einstellungsgruppe</translation>
    </message>
    <message>
        <source>&amp;Install directory on hosts:</source>
        <translation>&amp;Installationsverzeichnis auf den Hosts:</translation>
    </message>
    <message>
        <source>HOST_INSTALL_DIRECTORY: where scripts, ISOs and the version file land on every host. Use a different directory per environment.</source>
        <translation>HOST_INSTALL_DIRECTORY: wohin Skripte, ISOs und die Versionsdatei auf jedem Host kommen. Verwenden Sie je Umgebung ein eigenes Verzeichnis.</translation>
    </message>
    <message>
        <source>&amp;Download base URL:</source>
        <translation>&amp;Download-Basis-URL:</translation>
    </message>
    <message>
        <source>AGENT_DOWNLOAD_BASE_URL: how the hosts reach this console&apos;s /agent endpoint; empty uses the artifact server&apos;s own URL</source>
        <translation>AGENT_DOWNLOAD_BASE_URL: wie die Hosts den /agent-Endpunkt dieser Konsole erreichen; leer verwendet die eigene URL des Artefakt-Servers</translation>
    </message>
    <message>
        <source>empty: the artifact server&apos;s URL</source>
        <translation>leer: die URL des Artefakt-Servers</translation>
    </message>
    <message>
        <source>&amp;Bundle folder on this computer:</source>
        <translation>&amp;Paketordner auf diesem Rechner:</translation>
    </message>
    <message>
        <source>The agent bundle to deploy; empty uses the installed one</source>
        <translation>Das zu verteilende Agentenpaket; leer verwendet das installierte</translation>
    </message>
    <message>
        <source>empty: the bundle installed with the console</source>
        <translation>leer: das mit der Konsole installierte Paket</translation>
    </message>
    <message>
        <source>Download &amp;attempts per file:</source>
        <translation>Download-&amp;Versuche je Datei:</translation>
    </message>
    <message>
        <source>AGENT_DOWNLOAD_MAX_ATTEMPTS</source>
        <translation>AGENT_DOWNLOAD_MAX_ATTEMPTS</translation>
    </message>
    <message>
        <source>&amp;Retry interval:</source>
        <translation>&amp;Wartezeit zwischen Versuchen:</translation>
    </message>
    <message>
        <source>AGENT_DOWNLOAD_RETRY_INTERVAL</source>
        <translation>AGENT_DOWNLOAD_RETRY_INTERVAL</translation>
    </message>
    <message>
        <source>&amp;Parallel downloads per host:</source>
        <translation>&amp;Parallele Downloads je Host:</translation>
    </message>
    <message>
        <source>One host per line (name, name:port, [IPv6]:port), or paste CSV with a host column and an optional port column.</source>
        <translation>Ein Host pro Zeile (Name, Name:Port, [IPv6]:Port), oder CSV mit einer Host-Spalte und optionaler Port-Spalte einfügen.</translation>
    </message>
    <message>
        <source>Import &amp;CSV…</source>
        <translation>&amp;CSV importieren …</translation>
    </message>
    <message>
        <source>&amp;Transport:</source>
        <translation>&amp;Transport:</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>0 uses 5985 for HTTP and 5986 for HTTPS</source>
        <translation>0 verwendet 5985 für HTTP und 5986 für HTTPS</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Negotiate (Kerberos or NTLM)</source>
        <translation>Negotiate (Kerberos oder NTLM)</translation>
    </message>
    <message>
        <source>Basic</source>
        <translation>Basic</translation>
    </message>
    <message>
        <source>&amp;Authentication:</source>
        <translation>&amp;Authentifizierung:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>DOMAIN\user or user@REALM; empty uses the Kerberos ticket cache. The password is kept in the keychain (Console → Credentials).</source>
        <translation>DOMÄNE\benutzer oder benutzer@REALM; leer verwendet den Kerberos-Ticket-Cache. Das Passwort liegt im Schlüsselbund (Konsole → Anmeldedaten).</translation>
    </message>
    <message>
        <source>SPN &amp;service:</source>
        <translation>SPN-&amp;Dienst:</translation>
    </message>
    <message>
        <source>SPN &amp;host:</source>
        <translation>SPN-&amp;Host:</translation>
    </message>
    <message>
        <source>Host part of the SPN when it differs from the address</source>
        <translation>Host-Teil des SPN, wenn er von der Adresse abweicht</translation>
    </message>
    <message>
        <source>Request &amp;delegation</source>
        <translation>&amp;Delegierung anfordern</translation>
    </message>
    <message>
        <source>&amp;CA file (PEM):</source>
        <translation>&amp;CA-Datei (PEM):</translation>
    </message>
    <message>
        <source>Certificates trusted for HTTPS; empty uses the system store</source>
        <translation>Für HTTPS vertrauenswürdige Zertifikate; leer verwendet den Systemspeicher</translation>
    </message>
    <message>
        <source>&amp;Ignore TLS certificate errors (testing only)</source>
        <translation>TLS-Zertifikatsfehler &amp;ignorieren (nur für Tests)</translation>
    </message>
    <message>
        <source>Allow &amp;Basic over unencrypted HTTP</source>
        <translation>&amp;Basic über unverschlüsseltes HTTP erlauben</translation>
    </message>
    <message>
        <source>&amp;Operation timeout:</source>
        <translation>&amp;Zeitlimit je Vorgang:</translation>
    </message>
    <message>
        <source>C&amp;onnect timeout:</source>
        <translation>&amp;Verbindungs-Zeitlimit:</translation>
    </message>
    <message>
        <source>Command &amp;deadline:</source>
        <translation>&amp;Frist je Befehl:</translation>
    </message>
    <message>
        <source>&amp;Listen address:</source>
        <translation>&amp;Lauschadresse:</translation>
    </message>
    <message>
        <source>0.0.0.0 or :: listens everywhere</source>
        <translation>0.0.0.0 oder :: lauscht auf allen Adressen</translation>
    </message>
    <message>
        <source>&amp;Certificate (PEM):</source>
        <translation>&amp;Zertifikat (PEM):</translation>
    </message>
    <message>
        <source>With a private key the server speaks HTTPS</source>
        <translation>Mit privatem Schlüssel spricht der Server HTTPS</translation>
    </message>
    <message>
        <source>Private &amp;key (PEM):</source>
        <translation>Privater &amp;Schlüssel (PEM):</translation>
    </message>
    <message>
        <source>&amp;Maximum connections:</source>
        <translation>&amp;Höchstzahl Verbindungen:</translation>
    </message>
    <message>
        <source>&amp;Idle timeout:</source>
        <translation>&amp;Leerlauf-Zeitlimit:</translation>
    </message>
    <message>
        <source>&amp;Deployments at once:</source>
        <translation>&amp;Gleichzeitige Verteilungen:</translation>
    </message>
    <message>
        <source>&amp;Inventory tasks at once:</source>
        <translation>Gleichzeitige &amp;Inventuraufgaben:</translation>
    </message>
    <message>
        <source>Dia&amp;gnostics tasks at once:</source>
        <translation>Gleichzeitige Dia&amp;gnoseaufgaben:</translation>
    </message>
    <message>
        <source>Deployment d&amp;eadline per host:</source>
        <translation>Verteilungs&amp;frist je Host:</translation>
    </message>
    <message>
        <source>&amp;Check deadline per host:</source>
        <translation>&amp;Prüffrist je Host:</translation>
    </message>
    <message>
        <source>Wait for download &amp;URL up to:</source>
        <translation>Auf Download-&amp;URL warten bis zu:</translation>
    </message>
    <message>
        <source>Download URL &amp;poll interval:</source>
        <translation>Abfrage&amp;intervall der Download-URL:</translation>
    </message>
    <message>
        <source>&amp;Check and deploy every host when the profile opens</source>
        <translation>Beim Öffnen des Profils jeden Host &amp;prüfen und verteilen</translation>
    </message>
    <message>
        <source>&amp;Trust a verified host for:</source>
        <translation>Überprüftem Host &amp;vertrauen für:</translation>
    </message>
    <message>
        <source>Host &amp;lock lifetime:</source>
        <translation>Lebensdauer der Host-&amp;Sperre:</translation>
    </message>
    <message>
        <source>&amp;First retry after a failure:</source>
        <translation>&amp;Erster neuer Versuch nach Fehler:</translation>
    </message>
    <message>
        <source>&amp;Longest retry delay:</source>
        <translation>&amp;Längste Wartezeit bis zum neuen Versuch:</translation>
    </message>
    <message numerus="yes">
        <source>%n host(s)</source>
        <translation>
            <numerusform>%n Host</numerusform>
            <numerusform>%n Hosts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n duplicate(s) ignored</source>
        <translation>
            <numerusform>%n Duplikat ignoriert</numerusform>
            <numerusform>%n Duplikate ignoriert</numerusform>
        </translation>
    </message>
    <message>
        <source>Import hosts</source>
        <translation>Hosts importieren</translation>
    </message>
    <message>
        <source>Host lists (*.csv *.txt);;All files (*)</source>
        <translation>Host-Listen (*.csv *.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::ProfilesDialog</name>
    <message>
        <source>Profiles</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Neu</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>&amp;Duplizieren</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importieren …</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>E&amp;xportieren …</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>Error in %1: %2</source>
        <translation>Fehler in %1: %2</translation>
    </message>
    <message>
        <source>Warning in %1: %2</source>
        <translation>Warnung in %1: %2</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
    <message>
        <source>Profile %1 will be deleted when you press OK.</source>
        <translation>Profil %1 wird gelöscht, wenn Sie OK drücken.</translation>
    </message>
    <message>
        <source>Import failed: %1</source>
        <translation>Import fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n profile(s)</source>
        <translation>
            <numerusform>%n Profil importiert</numerusform>
            <numerusform>%n Profile importiert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n replaced</source>
        <translation>
            <numerusform>%n ersetzt</numerusform>
            <numerusform>%n ersetzt</numerusform>
        </translation>
    </message>
    <message>
        <source>Import profiles</source>
        <translation>Profile importieren</translation>
    </message>
    <message>
        <source>Profiles (*.json);;All files (*)</source>
        <translation>Profile (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Export profiles</source>
        <translation>Profile exportieren</translation>
    </message>
    <message>
        <source>Profiles (*.json)</source>
        <translation>Profile (*.json)</translation>
    </message>
    <message>
        <source>%1 cannot be written: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n profile(s) to %1</source>
        <translation>
            <numerusform>%n Profil nach %1 exportiert</numerusform>
            <numerusform>%n Profile nach %1 exportiert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aetherv::ui::ProgressDelegate</name>
    <message>
        <source>preparing…</source>
        <extracomment>progress bar text before the first download byte is known</extracomment>
        <translation>wird vorbereitet …</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::ProvisionDialog</name>
    <message>
        <source>Dynamic memory</source>
        <translation>Dynamischer Speicher</translation>
    </message>
    <message>
        <source>Start the VM and wait until the guest reports ready</source>
        <translation>VM starten und warten, bis der Gast bereit meldet</translation>
    </message>
    <message>
        <source>Provision VM</source>
        <translation>VM bereitstellen</translation>
    </message>
    <message>
        <source>e.g. web-01</source>
        <translation>z. B. web-01</translation>
    </message>
    <message>
        <source>the VM name</source>
        <translation>der VM-Name</translation>
    </message>
    <message>
        <source>golden image file, e.g. win2022.vhdx</source>
        <translation>Datei des Master-Images, z. B. win2022.vhdx</translation>
    </message>
    <message>
        <source>the host&apos;s default virtual hard disk folder</source>
        <translation>der Standardordner des Hosts für virtuelle Festplatten</translation>
    </message>
    <message>
        <source>Generation 2 (UEFI)</source>
        <translation>Generation 2 (UEFI)</translation>
    </message>
    <message>
        <source>Generation 1 (BIOS)</source>
        <translation>Generation 1 (BIOS)</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>virtual switch name</source>
        <translation>Name des virtuellen Switches</translation>
    </message>
    <message>
        <source>none (untagged)</source>
        <translation>keines (ohne Tag)</translation>
    </message>
    <message>
        <source>Windows</source>
        <translation>Windows</translation>
    </message>
    <message>
        <source>Linux</source>
        <translation>Linux</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Provision</source>
        <translation>Bereitstellen</translation>
    </message>
    <message>
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <source>max</source>
        <translation>max</translation>
    </message>
    <message>
        <source>Add key</source>
        <translation>Schlüssel hinzufügen</translation>
    </message>
    <message>
        <source>Remove key</source>
        <translation>Schlüssel entfernen</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>VM &amp;name:</source>
        <translation>VM-&amp;Name:</translation>
    </message>
    <message>
        <source>Guest host na&amp;me:</source>
        <translation>Host&amp;name des Gasts:</translation>
    </message>
    <message>
        <source>Golden &amp;image:</source>
        <translation>Master-&amp;Image:</translation>
    </message>
    <message>
        <source>Image &amp;folder:</source>
        <translation>Image-&amp;Ordner:</translation>
    </message>
    <message>
        <source>&amp;Generation:</source>
        <translation>&amp;Generation:</translation>
    </message>
    <message>
        <source>&amp;Processors:</source>
        <translation>&amp;Prozessoren:</translation>
    </message>
    <message>
        <source>&amp;Memory:</source>
        <translation>&amp;Arbeitsspeicher:</translation>
    </message>
    <message>
        <source>&amp;Switch:</source>
        <translation>&amp;Switch:</translation>
    </message>
    <message>
        <source>&amp;VLAN:</source>
        <translation>&amp;VLAN:</translation>
    </message>
    <message>
        <source>&amp;Operating system:</source>
        <translation>&amp;Betriebssystem:</translation>
    </message>
    <message>
        <source>Provisioning &amp;data:</source>
        <translation>Bereitstellungs&amp;daten:</translation>
    </message>
    <message>
        <source>this profile has no hosts</source>
        <translation>dieses Profil hat keine Hosts</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::ProvisioningJobModel</name>
    <message>
        <source>%1/%2 steps</source>
        <translation>%1/%2 Schritte</translation>
    </message>
    <message>
        <source>%1/%2 %3: %4</source>
        <translation>%1/%2 %3: %4</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::ProvisioningJobsPane</name>
    <message>
        <source>Cancel job</source>
        <translation>Auftrag abbrechen</translation>
    </message>
    <message>
        <source>Select a job to see its steps as they run.</source>
        <translation>Wählen Sie einen Auftrag, um seine Schritte während der Ausführung zu sehen.</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::RolloutBanner</name>
    <message>
        <source>Agent deployment</source>
        <translation>Agentenverteilung</translation>
    </message>
</context>
<context>
    <name>aetherv::ui::RolloutNotifier</name>
    <message>
        <source>Agent deployment complete</source>
        <translation>Agentenverteilung abgeschlossen</translation>
    </message>
    <message numerus="yes">
        <source>Agent deployment failed on %n host(s)</source>
        <translation>
            <numerusform>Agentenverteilung auf %n Host fehlgeschlagen</numerusform>
            <numerusform>Agentenverteilung auf %n Hosts fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Agent deployment cancelled</source>
        <translation>Agentenverteilung abgebrochen</translation>
    </message>
    <message>
        <source>Aether-V console</source>
        <translation>Aether-V-Konsole</translation>
    </message>
</context>
</TS>
