#pragma once

#include "core/common/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace aetherv::provision {

// One problem a document has: where (a JSON path such as "$.vm.memory.startupMB") and why.
struct SchemaIssue
{
    QString path;
    QString message;
    QString toString() const { return path + u": " + message; }
    friend bool operator==(const SchemaIssue &, const SchemaIssue &) = default;
};

// Validates JSON against the subset of JSON Schema 2020-12 that agent/schema/job.schema.json
// uses: type, enum, const, properties, required, additionalProperties (boolean or schema),
// propertyNames, minProperties, maxProperties, items, minItems, maxItems, uniqueItems,
// minLength, maxLength (in code points), pattern (ECMA-262 anchors), minimum, maximum.
// Annotations are ignored; any other keyword is reported as an issue, never skipped, exactly as
// the agent's own validator (AetherV.Agent.Common.ps1) does, so both reject the same jobs.
class JsonSchemaSubset
{
public:
    static Result<JsonSchemaSubset> fromJson(const QByteArray &schemaText);

    QList<SchemaIssue> validate(const QJsonValue &value) const;
    const QJsonObject &schema() const { return m_schema; }

private:
    explicit JsonSchemaSubset(QJsonObject schema)
        : m_schema(std::move(schema))
    {}
    QJsonObject m_schema;
};

} // namespace aetherv::provision
