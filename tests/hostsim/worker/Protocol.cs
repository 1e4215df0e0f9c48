// The worker's side of the hostsim worker protocol: JSON lines on private copies of fd 0 and 1.
// Requests:  {"op":"start","id":N,...}  {"op":"stdin","id":N,"data":"<base64>","end":bool}
//            {"op":"stop","id":N,"exitCode":N}
// Events:    {"ev":"ready","pid":N}  {"ev":"out","id":N,"stream":"stdout|stderr","data":"<base64>"}
//            {"ev":"exit","id":N,"code":N}  {"ev":"log","message":"..."}
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace AetherV.HostSim
{
    public static class Protocol
    {
        private static readonly object s_lock = new();
        private static Stream s_out;

        [DllImport("libc", SetLastError = true)] private static extern int dup(int fd);
        [DllImport("libc", SetLastError = true)] private static extern int dup2(int oldFd, int newFd);
        [DllImport("libc", SetLastError = true)] private static extern int open(string path, int flags);

        // Moves the protocol pipes away from fd 0/1, so that native programs a script starts (and
        // anything writing to the process's raw stdout) cannot corrupt the protocol stream.
        public static TextReader Open()
        {
            int inFd = dup(0);
            int outFd = dup(1);
            int devNull = open("/dev/null", 2);
            if (inFd < 0 || outFd < 0 || devNull < 0)
                throw new IOException("Could not duplicate the worker's standard streams.");
            dup2(devNull, 0);
            dup2(2, 1);
            s_out = new FileStream(new SafeFileHandle((IntPtr)outFd, true), FileAccess.Write, 1);
            var input = new FileStream(new SafeFileHandle((IntPtr)inFd, true), FileAccess.Read, 1);
            return new StreamReader(input, new UTF8Encoding(false), false, 1 << 16);
        }

        public static void SendOutput(long id, string stream, byte[] data)
        {
            Send(w => {
                w.WriteString("ev", "out");
                w.WriteNumber("id", id);
                w.WriteString("stream", stream);
                w.WriteBase64String("data", data);
            });
        }

        public static void SendExit(long id, int code)
        {
            Send(w => {
                w.WriteString("ev", "exit");
                w.WriteNumber("id", id);
                w.WriteNumber("code", code);
            });
        }

        public static void SendLog(string message)
        {
            Send(w => {
                w.WriteString("ev", "log");
                w.WriteString("message", message);
            });
        }

        public static void SendReady()
        {
            Send(w => {
                w.WriteString("ev", "ready");
                w.WriteNumber("pid", Environment.ProcessId);
            });
        }

        private static void Send(Action<Utf8JsonWriter> body)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer)) {
                writer.WriteStartObject();
                body(writer);
                writer.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            lock (s_lock) {
                buffer.WriteTo(s_out);
                s_out.Flush();
            }
        }
    }

    // Console.In/Out/Error of the worker process, routed to the command running on this thread.
    public sealed class RoutingWriter : TextWriter
    {
        private readonly bool m_error;
        private readonly TextWriter m_fallback;

        public RoutingWriter(bool error, TextWriter fallback) { m_error = error; m_fallback = fallback; }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string value)
        {
            var cmd = CommandContext.Current;
            if (cmd == null)
                m_fallback.Write(value);
            else if (m_error)
                cmd.WriteStderrRecord("Error", value.TrimEnd('\r', '\n'));
            else
                cmd.Stdout.Write(value);
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string value) => Write(m_error ? value : value + "\r\n");

        public override void WriteLine() => Write(m_error ? string.Empty : "\r\n");
    }

    public sealed class RoutingReader : TextReader
    {
        private static TextReader Target => (TextReader)CommandContext.Current?.Stdin ?? Null;
        public override int Peek() => Target.Peek();
        public override int Read() => Target.Read();
        public override string ReadLine() => Target.ReadLine();
        public override string ReadToEnd() => Target.ReadToEnd();
    }
}
