#include "clicommand.h"

#include "app/common/settingsstore.h"
#include "core/config/validation.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTextStream>

#include <memory>

namespace aetherv::cli {

namespace {

std::unique_ptr<appcommon::SettingsStore> openStore(const QCommandLineParser &p)
{
    if (p.isSet(QStringLiteral("settings")))
        return std::make_unique<appcommon::SettingsStore>(p.value(QStringLiteral("settings")));
    return std::make_unique<appcommon::SettingsStore>();
}

const config::Profile *findProfile(const QList<config::Profile> &all, const QString &wanted)
{
    for (const config::Profile &p : all) {
        if (p.id == wanted || p.name.compare(wanted, Qt::CaseInsensitive) == 0)
            return &p;
    }
    return nullptr;
}

} // namespace

int runProfiles(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Manages the environment profiles the console saved (no passwords are stored in them).\n"
        "  profiles list\n"
        "  profiles show NAME|ID\n"
        "  profiles import FILE      (one profile or an export; same id replaces)\n"
        "  profiles export [NAME|ID] [--output FILE]"));
    p.addHelpOption();
    p.addOption({QStringLiteral("settings"),
                 QStringLiteral("Settings file (INI) instead of the user's own."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("output"), QStringLiteral("Write the export to FILE."),
                 QStringLiteral("file")});
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, show, import, export"));
    p.process(arguments);
    QTextStream out(stdout), err(stderr);
    const QStringList args = p.positionalArguments();
    if (args.isEmpty()) {
        err << "aetherv-deploy profiles: say list, show, import or export\n";
        return ExitUsage;
    }
    auto store = openStore(p);
    if (const auto openError = store->openError()) {
        err << "aetherv-deploy profiles: " << openError->toString() << '\n';
        if (args.first() == u"import")
            return ExitUsage;
    }
    const appcommon::LoadedProfiles loaded = store->loadProfiles();
    for (const auto &problem : loaded.problems)
        err << "warning: saved profile " << problem.id
            << " cannot be used: " << problem.error.toString() << '\n';
    const QString action = args.first();

    if (action == u"list") {
        if (loaded.profiles.isEmpty()) {
            out << "no saved profiles; import one with 'aetherv-deploy profiles import FILE'\n";
            return ExitOk;
        }
        const QString current = store->currentProfileId();
        for (const config::Profile &pr : loaded.profiles) {
            out << (pr.id == current ? "* " : "  ") << pr.name.leftJustified(20) << ' '
                << config::environmentTagName(pr.environment).leftJustified(6) << ' '
                << QString::number(pr.hosts.size()).rightJustified(5) << " hosts  "
                << pr.installDirectory << "  (" << pr.id << ")\n";
        }
        return ExitOk;
    }
    if (action == u"show") {
        if (args.size() != 2) {
            err << "aetherv-deploy profiles show: name the profile\n";
            return ExitUsage;
        }
        const config::Profile *pr = findProfile(loaded.profiles, args.at(1));
        if (!pr) {
            err << "aetherv-deploy profiles: no profile named '" << args.at(1) << "'\n";
            return ExitUsage;
        }
        out << pr->toJson();
        return ExitOk;
    }
    if (action == u"import") {
        if (args.size() != 2) {
            err << "aetherv-deploy profiles import: name the file\n";
            return ExitUsage;
        }
        QFile f(args.at(1));
        if (!f.open(QIODevice::ReadOnly)) {
            err << "aetherv-deploy profiles: cannot read " << f.fileName() << ": "
                << f.errorString() << '\n';
            return ExitUsage;
        }
        const auto imported = config::importProfiles(f.readAll());
        if (!imported) {
            err << "aetherv-deploy profiles: " << imported.error().toString() << '\n';
            return ExitUsage;
        }
        bool invalid = false;
        for (const config::Profile &pr : *imported) {
            for (const config::ValidationIssue &issue : pr.validate()) {
                invalid = invalid || issue.isError();
                err << (issue.isError() ? "error: " : "warning: ") << pr.name << ": " << issue.field
                    << ": " << issue.message << '\n';
            }
        }
        if (invalid) {
            err << "aetherv-deploy profiles: nothing imported; fix the errors above\n";
            return ExitUsage;
        }
        for (const config::Profile &pr : *imported) {
            const bool replacing = findProfile(loaded.profiles, pr.id) != nullptr;
            if (const auto saved = store->saveProfile(pr); !saved) {
                err << "aetherv-deploy profiles: " << saved.error().toString() << '\n';
                return ExitUsage;
            }
            out << (replacing ? "updated " : "imported ") << pr.name << " (" << pr.id << ")\n";
        }
        QList<config::Profile> all = store->loadProfiles().profiles;
        for (const config::ValidationIssue &issue : config::validateProfiles(all))
            err << "warning: " << issue.message << '\n';
        return ExitOk;
    }
    if (action == u"export") {
        QList<config::Profile> chosen = loaded.profiles;
        if (args.size() == 2) {
            const config::Profile *pr = findProfile(loaded.profiles, args.at(1));
            if (!pr) {
                err << "aetherv-deploy profiles: no profile named '" << args.at(1) << "'\n";
                return ExitUsage;
            }
            chosen = {*pr};
        }
        const QByteArray json = config::exportProfiles(chosen);
        if (p.isSet(QStringLiteral("output"))) {
            QFile f(p.value(QStringLiteral("output")));
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)
                || f.write(json) != json.size()) {
                err << "aetherv-deploy profiles: cannot write " << f.fileName() << ": "
                    << f.errorString() << '\n';
                return ExitUsage;
            }
            out << "exported " << chosen.size() << " profile(s) to " << f.fileName() << '\n';
        } else {
            out << json;
        }
        return ExitOk;
    }
    err << "aetherv-deploy profiles: unknown action '" << action << "'\n";
    return ExitUsage;
}

} // namespace aetherv::cli
