#include "core/provision/jsonschemasubset.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace aetherv::provision {

namespace {

const QSet<QString> &knownKeywords()
{
    static const QSet<QString> known{
        u"$schema"_qs,       u"$id"_qs,           u"title"_qs,         u"description"_qs,
        u"default"_qs,       u"examples"_qs,      u"type"_qs,          u"enum"_qs,
        u"const"_qs,         u"properties"_qs,    u"required"_qs,      u"additionalProperties"_qs,
        u"propertyNames"_qs, u"minProperties"_qs, u"maxProperties"_qs, u"items"_qs,
        u"minItems"_qs,      u"maxItems"_qs,      u"uniqueItems"_qs,   u"minLength"_qs,
        u"maxLength"_qs,     u"pattern"_qs,       u"minimum"_qs,       u"maximum"_qs};
    return known;
}

bool isInteger(const QJsonValue &v)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    return std::isfinite(d) && std::floor(d) == d;
}

QString jsonType(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return u"null"_qs;
    case QJsonValue::Bool:
        return u"boolean"_qs;
    case QJsonValue::Double:
        return isInteger(v) ? u"integer"_qs : u"number"_qs;
    case QJsonValue::String:
        return u"string"_qs;
    case QJsonValue::Array:
        return u"array"_qs;
    case QJsonValue::Object:
        return u"object"_qs;
    case QJsonValue::Undefined:
        break;
    }
    return u"undefined"_qs;
}

QString compact(const QJsonValue &v)
{
    if (v.isString())
        return u'"' + v.toString() + u'"';
    if (v.isDouble() && isInteger(v))
        return QString::number(qint64(v.toDouble()));
    if (v.isDouble())
        return QString::number(v.toDouble());
    if (v.isBool())
        return v.toBool() ? u"true"_qs : u"false"_qs;
    if (v.isNull())
        return u"null"_qs;
    const QJsonDocument doc
        = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

// ECMA-262 gives '$' "end of input" only; PCRE also matches before a final newline.
bool matches(const QString &text, const QString &pattern)
{
    QString p = pattern;
    if (p.endsWith(u'$') && !p.endsWith(u"\\$"))
        p = p.left(p.size() - 1) + u"\\z";
    const QRegularExpression re(p);
    if (!re.isValid())
        return false;
    return re.match(text).hasMatch();
}

class Validator
{
public:
    QList<SchemaIssue> issues;

    void add(const QString &path, const QString &message) { issues.append({path, message}); }

    void run(const QJsonValue &value, const QJsonObject &schema, const QString &path)
    {
        for (auto it = schema.begin(); it != schema.end(); ++it) {
            if (!knownKeywords().contains(it.key()))
                add(path, u"schema keyword '"_qs + it.key() + u"' is not supported"_qs);
        }
        const QString actual = jsonType(value);
        if (schema.contains(u"type")) {
            const QJsonValue t = schema.value(u"type");
            QStringList allowed;
            if (t.isArray()) {
                for (const QJsonValue &x : t.toArray())
                    allowed << x.toString();
            } else {
                allowed << t.toString();
            }
            const bool ok = allowed.contains(actual)
                            || (actual == u"integer" && allowed.contains(u"number"_qs));
            if (!ok) {
                add(path, u"expected %1, got %2"_qs.arg(allowed.join(u" or "_qs), actual));
                return;
            }
        }
        if (schema.contains(u"enum")) {
            const QJsonArray options = schema.value(u"enum").toArray();
            bool found = false;
            QStringList shown;
            for (const QJsonValue &o : options) {
                found = found || o == value;
                shown << compact(o);
            }
            if (!found)
                add(path, u"must be one of %1"_qs.arg(shown.join(u", "_qs)));
        }
        if (schema.contains(u"const") && schema.value(u"const") != value)
            add(path, u"must be %1"_qs.arg(compact(schema.value(u"const"))));
        if (value.isString())
            checkString(value.toString(), schema, path);
        if (value.isDouble())
            checkNumber(value.toDouble(), schema, path);
        if (value.isArray())
            checkArray(value.toArray(), schema, path);
        if (value.isObject())
            checkObject(value.toObject(), schema, path);
    }

private:
    void checkString(const QString &text, const QJsonObject &schema, const QString &path)
    {
        const qsizetype length = text.toUcs4().size();
        if (schema.contains(u"minLength") && length < schema.value(u"minLength").toInteger())
            add(path, u"shorter than %1 characters"_qs.arg(schema.value(u"minLength").toInteger()));
        if (schema.contains(u"maxLength") && length > schema.value(u"maxLength").toInteger())
            add(path, u"longer than %1 characters"_qs.arg(schema.value(u"maxLength").toInteger()));
        if (schema.contains(u"pattern")) {
            const QString pattern = schema.value(u"pattern").toString();
            if (!matches(text, pattern))
                add(path, u"does not match "_qs + pattern);
        }
    }

    void checkNumber(double n, const QJsonObject &schema, const QString &path)
    {
        if (schema.contains(u"minimum") && n < schema.value(u"minimum").toDouble())
            add(path, u"less than "_qs + compact(schema.value(u"minimum")));
        if (schema.contains(u"maximum") && n > schema.value(u"maximum").toDouble())
            add(path, u"greater than "_qs + compact(schema.value(u"maximum")));
    }

    void checkArray(const QJsonArray &list, const QJsonObject &schema, const QString &path)
    {
        if (schema.contains(u"minItems") && list.size() < schema.value(u"minItems").toInteger())
            add(path, u"fewer than %1 items"_qs.arg(schema.value(u"minItems").toInteger()));
        if (schema.contains(u"maxItems") && list.size() > schema.value(u"maxItems").toInteger())
            add(path, u"more than %1 items"_qs.arg(schema.value(u"maxItems").toInteger()));
        if (schema.value(u"uniqueItems").toBool()) {
            for (qsizetype i = 0; i < list.size(); ++i) {
                bool duplicate = false;
                for (qsizetype j = 0; j < i && !duplicate; ++j)
                    duplicate = list.at(i) == list.at(j);
                if (duplicate) {
                    add(path, u"items must be unique"_qs);
                    break;
                }
            }
        }
        if (schema.contains(u"items")) {
            const QJsonObject itemSchema = schema.value(u"items").toObject();
            for (qsizetype i = 0; i < list.size(); ++i)
                run(list.at(i), itemSchema, u"%1[%2]"_qs.arg(path).arg(i));
        }
    }

    void checkObject(const QJsonObject &object, const QJsonObject &schema, const QString &path)
    {
        for (const QJsonValue &r : schema.value(u"required").toArray()) {
            if (!object.contains(r.toString()))
                add(path, u"missing required property '%1'"_qs.arg(r.toString()));
        }
        if (schema.contains(u"minProperties")
            && object.size() < schema.value(u"minProperties").toInteger())
            add(path,
                u"fewer than %1 properties"_qs.arg(schema.value(u"minProperties").toInteger()));
        if (schema.contains(u"maxProperties")
            && object.size() > schema.value(u"maxProperties").toInteger())
            add(path,
                u"more than %1 properties"_qs.arg(schema.value(u"maxProperties").toInteger()));
        const QJsonObject properties = schema.value(u"properties").toObject();
        const QJsonValue additional = schema.value(u"additionalProperties");
        const bool namesChecked = schema.contains(u"propertyNames");
        const QJsonObject names = schema.value(u"propertyNames").toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString child = path + u'.' + it.key();
            if (namesChecked)
                run(QJsonValue(it.key()), names, child + u" (name)"_qs);
            if (properties.contains(it.key())) {
                run(it.value(), properties.value(it.key()).toObject(), child);
            } else if (additional.isBool()) {
                if (!additional.toBool())
                    add(path, u"property '%1' is not allowed"_qs.arg(it.key()));
            } else if (additional.isObject()) {
                run(it.value(), additional.toObject(), child);
            }
        }
    }
};

} // namespace

Result<JsonSchemaSubset> JsonSchemaSubset::fromJson(const QByteArray &schemaText)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(schemaText, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(ErrorCode::Internal, u"the job schema is not a JSON object"_qs,
                    error.errorString());
    return JsonSchemaSubset(doc.object());
}

QList<SchemaIssue> JsonSchemaSubset::validate(const QJsonValue &value) const
{
    Validator v;
    v.run(value, m_schema, u"$"_qs);
    return v.issues;
}

} // namespace aetherv::provision
