// The PowerShell host of one simulated command: what powershell.exe's console host does when its
// standard streams are pipes (WinRS). Formatted output and Write-Host go to stdout; errors,
// warnings, verbose and debug text go where powershell.exe sends them; `exit N` is recorded.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace AetherV.HostSim
{
    public sealed class SimPSHost : PSHost
    {
        private readonly SimHostUI m_ui;
        private readonly Guid m_id = Guid.NewGuid();

        public SimPSHost(CommandContext command)
        {
            m_ui = new SimHostUI(command);
        }

        public int? ExitCode { get; private set; }
        public override string Name => "ConsoleHost";
        public override Version Version => new(5, 1, 17763, 1);
        public override Guid InstanceId => m_id;
        public override PSHostUserInterface UI => m_ui;
        public override CultureInfo CurrentCulture => CultureInfo.GetCultureInfo("en-US");
        public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");
        public override void SetShouldExit(int exitCode) { ExitCode = exitCode; }
        public override void EnterNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by a remote shell.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by a remote shell.");
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class SimHostUI : PSHostUserInterface
    {
        private readonly CommandContext m_cmd;
        private readonly SimRawUI m_raw = new();

        public SimHostUI(CommandContext command) { m_cmd = command; }

        public override PSHostRawUserInterface RawUI => m_raw;

        // A redirected Windows console receives no colour escape sequences.
        private static string Plain(string text) => text == null ? string.Empty : s_sgr.Replace(text, string.Empty);
        private static readonly Regex s_sgr = new("\x1b\\[[0-9;]*m", RegexOptions.Compiled);

        public override void Write(string value) => m_cmd.Stdout.Write(Plain(value));
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => m_cmd.Stdout.Write(Plain(value));
        public override void WriteLine(string value) => m_cmd.Stdout.Write(Plain(value) + "\r\n");
        public override void WriteLine() => m_cmd.Stdout.Write("\r\n");
        public override void WriteLine(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => m_cmd.Stdout.Write(Plain(value) + "\r\n");
        public override void WriteErrorLine(string value) => m_cmd.WriteStderrRecord("Error", Plain(value));
        public override void WriteWarningLine(string message) => m_cmd.WriteStreamRecord("warning", "WARNING: ", message);
        public override void WriteVerboseLine(string message) => m_cmd.WriteStreamRecord("verbose", "VERBOSE: ", message);
        public override void WriteDebugLine(string message) => m_cmd.WriteStreamRecord("debug", "DEBUG: ", message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteInformation(InformationRecord record) { }

        public override string ReadLine() => m_cmd.Stdin.ReadLine() ?? string.Empty;

        public override SecureString ReadLineAsSecureString() =>
            throw new PSInvalidOperationException("Reading a secure string needs an interactive console; the remote shell has none.");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new PSInvalidOperationException("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.");

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new PSInvalidOperationException("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new PSInvalidOperationException("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
                                                         PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new PSInvalidOperationException("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.");
    }

    // The redirected console of a WinRS process: 120 columns, no cursor, no buffer contents.
    public sealed class SimRawUI : PSHostRawUserInterface
    {
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override Coordinates CursorPosition { get; set; }
        public override Coordinates WindowPosition { get; set; }
        public override int CursorSize { get; set; } = 25;
        public override Size BufferSize { get; set; } = new(120, 3000);
        public override Size WindowSize { get; set; } = new(120, 50);
        public override Size MaxWindowSize => new(120, 50);
        public override Size MaxPhysicalWindowSize => new(120, 50);
        public override bool KeyAvailable => false;
        public override string WindowTitle { get; set; } = "Windows PowerShell";
        public override void FlushInputBuffer() { }
        public override KeyInfo ReadKey(ReadKeyOptions options) =>
            throw new PSInvalidOperationException("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.");
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
            throw new NotSupportedException("The remote shell has no screen buffer.");
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    }
}
