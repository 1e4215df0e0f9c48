// One command running in a worker: its stdin, its two output streams and how it ends.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using System.Threading;

namespace AetherV.HostSim
{
    public sealed class CommandContext
    {
        [ThreadStatic] private static CommandContext t_current;
        private static readonly ConcurrentDictionary<Guid, CommandContext> s_byRunspace = new();

        public CommandContext(long id) { Id = id; Stdout = new OutputSink(id, "stdout"); Stderr = new OutputSink(id, "stderr"); }

        public long Id { get; }
        public string HostName = "";
        public string Root = "";
        public string User = "";
        public string Domain = "";
        public string Mode = "script";       // "script": Script holds the code; "stdin": code arrives on stdin
        public string Script = "";
        public string WorkingDirectory = "";
        public bool Clixml;
        public Dictionary<string, string> Environment = new(StringComparer.OrdinalIgnoreCase);
        public readonly StdinBuffer Stdin = new();
        public readonly OutputSink Stdout;
        public readonly OutputSink Stderr;
        public volatile System.Management.Automation.Runspaces.Pipeline Shell;
        public volatile int StopExitCode;    // set when a Signal stops the command
        public volatile bool Stopping;
        private bool m_clixmlStarted;
        private readonly object m_clixmlLock = new();

        public static CommandContext Current
        {
            get {
                if (t_current != null)
                    return t_current;
                var rs = System.Management.Automation.Runspaces.Runspace.DefaultRunspace;
                return rs != null && s_byRunspace.TryGetValue(rs.InstanceId, out var cmd) ? cmd : null;
            }
            set { t_current = value; }
        }

        public void Attach(Guid runspaceId) => s_byRunspace[runspaceId] = this;
        public void Detach(Guid runspaceId) => s_byRunspace.TryRemove(runspaceId, out _);

        public void WriteStderrRecord(string kind, string text)
        {
            if (!Clixml) {
                Stderr.Write(text + "\r\n");
                return;
            }
            lock (m_clixmlLock) {
                if (!m_clixmlStarted) {
                    Stderr.Write("#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">");
                    m_clixmlStarted = true;
                }
                Stderr.Write("<S S=\"" + kind + "\">" + ClixmlText(text + "\r\n") + "</S>");
            }
        }

        // Warnings, verbose and debug lines: console text on stdout, CLIXML records on stderr.
        public void WriteStreamRecord(string kind, string prefix, string text)
        {
            if (Clixml)
                WriteStderrRecord(kind, text);
            else
                Stdout.Write(prefix + text + "\r\n");
        }

        public void FinishStreams()
        {
            lock (m_clixmlLock) {
                if (m_clixmlStarted)
                    Stderr.Write("</Objs>");
                m_clixmlStarted = false;
            }
            Stdout.Flush();
            Stderr.Flush();
        }

        // PowerShell's serializer escapes control characters and '_x' as _xHHHH_, then XML-escapes.
        public static string ClixmlText(string text)
        {
            var sb = new StringBuilder(text.Length + 16);
            for (int i = 0; i < text.Length; ++i) {
                char c = text[i];
                if (c == '_' && i + 1 < text.Length && (text[i + 1] == 'x' || text[i + 1] == 'X'))
                    sb.Append("_x005F_");
                else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || char.IsSurrogate(c) && !char.IsSurrogatePair(text, char.IsHighSurrogate(c) ? i : i - 1))
                    sb.Append("_x").Append(((int)c).ToString("X4")).Append('_');
                else if (c == '&')
                    sb.Append("&amp;");
                else if (c == '<')
                    sb.Append("&lt;");
                else if (c == '>')
                    sb.Append("&gt;");
                else
                    sb.Append(c);
            }
            return sb.ToString();
        }
    }

    // Text a command writes to one of its streams; sent to hostsim in coalesced UTF-8 chunks.
    public sealed class OutputSink
    {
        private readonly long m_id;
        private readonly string m_stream;
        private readonly StringBuilder m_pending = new();
        private readonly object m_lock = new();
        private readonly object m_sendLock = new(); // keeps chunks in order and before the exit event
        private const int FlushThreshold = 32 * 1024;

        public OutputSink(long id, string stream) { m_id = id; m_stream = stream; }

        public void Write(string text)
        {
            if (string.IsNullOrEmpty(text))
                return;
            bool flushNow;
            lock (m_lock) {
                m_pending.Append(text);
                flushNow = m_pending.Length >= FlushThreshold;
            }
            if (flushNow)
                Flush();
            else
                Flusher.Schedule(this);
        }

        public void Flush()
        {
            lock (m_sendLock)
                FlushLocked();
        }

        private void FlushLocked()
        {
            string chunk;
            lock (m_lock) {
                if (m_pending.Length == 0)
                    return;
                chunk = m_pending.ToString();
                m_pending.Clear();
                // Keep a trailing high surrogate for the next chunk so UTF-8 encoding stays valid.
                if (char.IsHighSurrogate(chunk[chunk.Length - 1])) {
                    m_pending.Append(chunk[chunk.Length - 1]);
                    chunk = chunk.Substring(0, chunk.Length - 1);
                }
            }
            if (chunk.Length > 0)
                Protocol.SendOutput(m_id, m_stream, Encoding.UTF8.GetBytes(chunk));
        }
    }

    // Coalesces small writes: pending sinks are flushed every 20 ms by one background thread.
    public static class Flusher
    {
        private static readonly ConcurrentDictionary<OutputSink, byte> s_dirty = new();
        private static readonly AutoResetEvent s_wake = new(false);

        static Flusher()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "hostsim-flusher" };
            thread.Start();
        }

        public static void Schedule(OutputSink sink)
        {
            if (s_dirty.TryAdd(sink, 0))
                s_wake.Set();
        }

        private static void Loop()
        {
            while (true) {
                s_wake.WaitOne();
                Thread.Sleep(20);
                foreach (var sink in s_dirty.Keys) {
                    s_dirty.TryRemove(sink, out _);
                    sink.Flush();
                }
            }
        }
    }

    // The command's stdin as a blocking TextReader: bytes from Send requests, UTF-8 decoded.
    public sealed class StdinBuffer : TextReader
    {
        private readonly StringBuilder m_text = new();
        private readonly Decoder m_decoder = new UTF8Encoding(false).GetDecoder();
        private int m_pos;
        private bool m_closed;

        public void Append(byte[] data, bool end)
        {
            lock (m_text) {
                if (m_closed)
                    return;
                var chars = new char[m_decoder.GetCharCount(data, 0, data.Length, end)];
                m_decoder.GetChars(data, 0, data.Length, chars, 0, end);
                m_text.Append(chars);
                if (end)
                    m_closed = true;
                Monitor.PulseAll(m_text);
            }
        }

        public void End() => Append(Array.Empty<byte>(), true);

        public override int Peek()
        {
            lock (m_text) {
                while (m_pos >= m_text.Length && !m_closed)
                    Monitor.Wait(m_text);
                return m_pos < m_text.Length ? m_text[m_pos] : -1;
            }
        }

        public override int Read()
        {
            lock (m_text) {
                while (m_pos >= m_text.Length && !m_closed)
                    Monitor.Wait(m_text);
                return m_pos < m_text.Length ? m_text[m_pos++] : -1;
            }
        }

        public override string ReadToEnd()
        {
            lock (m_text) {
                while (!m_closed)
                    Monitor.Wait(m_text);
                var rest = m_text.ToString(m_pos, m_text.Length - m_pos);
                m_pos = m_text.Length;
                return rest;
            }
        }

        // Lines for $input: each line as soon as its newline (or the end of stdin) arrives.
        public IEnumerable<string> Lines()
        {
            string line;
            while ((line = ReadLine()) != null)
                yield return line;
        }
    }
}
