#pragma once

#include <QString>

// PowerShell writes its error, warning and information records to a redirected stderr as
// serialized objects ("#< CLIXML" followed by <Objs> documents). These helpers turn that into the
// text an operator would have seen in a console.
namespace aetherv::winrm::clixml {

bool isClixml(const QString &stderrText);
// Text of the Error/Warning/Verbose/Debug/Information strings, _xHHHH_ escapes decoded,
// progress records dropped. Text that is not CLIXML is returned unchanged.
QString toText(const QString &stderrText);
// Decodes PowerShell's XML-name escapes (_x000D__x000A_ and friends).
QString decodeEscapes(const QString &text);

} // namespace aetherv::winrm::clixml
