#pragma once

#include "core/common/result.h"
#include "core/winrm/connectionsettings.h"
#include "core/winrm/wsmanenvelope.h"

#include <QAbstractSocket>
#include <QSslError>

#include <chrono>

// Every failure of the WinRM client as an aetherv::Error whose message names the likely fix.
namespace aetherv::winrm::errors {

Error networkError(const ConnectionSettings &settings, QAbstractSocket::SocketError error,
                   const QString &text, bool whileConnecting);
Error tlsError(const QString &host, const QList<QSslError> &errors);
Error caFileUnusable(const ConnectionSettings &settings);
Error connectTimeout(const ConnectionSettings &settings);
Error readTimeout(const ConnectionSettings &settings, std::chrono::milliseconds timeout);
Error credentialsRejected(const ConnectionSettings &settings, const QString &mechanism,
                          const QString &user);
Error encryptionRequired(const QString &why);
// The endpoint broke HTTP itself: not an HTTP reply, malformed framing, a reply beyond the
// size limit, or bytes trickling in without the reply ever finishing.
Error malformedHttp(const ConnectionSettings &settings, const QString &what,
                    const QByteArray &sample);
Error responseTooLarge(const ConnectionSettings &settings, qint64 limit, qint64 announced);
Error responseNeverEnds(const ConnectionSettings &settings, std::chrono::milliseconds deadline);
Error httpStatus(const ConnectionSettings &settings, int status, const QByteArray &body);
Error fault(const WsmanFault &fault, const QString &operation);
Error cancelled();
Error commandDeadline(std::chrono::milliseconds deadline);

} // namespace aetherv::winrm::errors
