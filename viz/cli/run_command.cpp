// `tasklab run FILE`: run one scenario to the end and show what happened.
//
// The report view prints, in order: a header (title, file, size of the run), every printed
// line with its virtual time and lane, the text timeline, and a summary (how the run ended,
// what became of each cancel request, teaching lints). --print-only prints only the program's
// own output; --events swaps the timeline for the event log; --trace writes JSON lines;
// --perfetto writes the Trace Event Format file for ui.perfetto.dev and chrome://tracing.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <ostream>

#include "cli.hpp"
#include "engine/cancel_stories.hpp"
#include "engine/controller.hpp"
#include "viz/text/cancel_story_text.hpp"
#include "viz/text/event_log.hpp"
#include "viz/text/perfetto.hpp"
#include "viz/text/text_timeline.hpp"
#include "viz/text/text_util.hpp"
#include "viz/text/trace_json.hpp"

namespace tasklab::cli {

namespace {

// The run's exit status comes from the engine's one table (engine/run_types.hpp, README.md
// "Exit status"); the command's own statuses must agree with it.
static_assert(static_cast<int>(ExitCode::uncaught_error) == k_exit_uncaught_error);
static_assert(static_cast<int>(ExitCode::stopped) == k_exit_stopped);

std::string_view result_word(RunState state) {
    switch (state) {
    case RunState::finished: return "finished";
    case RunState::uncaught_error: return "uncaught error";
    case RunState::runtime_error: return "runtime error";
    case RunState::deadlock: return "deadlock";
    case RunState::step_limit: return "step limit";
    case RunState::time_limit: return "time limit";
    case RunState::internal_error: return "internal error";
    case RunState::stopped: return "stopped";
    case RunState::running: return "still running";
    }
    return "?";
}

std::string_view result_color(RunState state) {
    switch (state) {
    case RunState::finished: return "1;32";
    case RunState::uncaught_error: return "1;33";
    default: return "1;31";
    }
}


void write_header(std::ostream& out, const CliOptions& o, const Controller& c) {
    const ast::Program& p = c.program();
    const std::string& name = p.file ? p.file->name() : std::string("scenario");
    // The title and file name come from the scenario: control characters are shown, not obeyed.
    out << styled(o, "1", escape_control_characters(p.title.empty() ? name : p.title)) << '\n';
    const std::size_t tasks = c.trace().tasks().size() - 1;
    std::string meta = escape_control_characters(name) + " · " + (p.language == ast::Language::swift ? "Swift" : "Python asyncio") + " · " +
                       plural(tasks, "task", "tasks") + " · " + plural(c.step_index(), "step", "steps") + " · " +
                       format_duration(c.now()) + " of virtual time";
    out << styled(o, "2", meta) << "\n\n";
}

// Printed lines and narration notes in trace order:
//   [ 1.000s] downloadImage #2 │ 🟡 작업이 취소되었습니다.
void write_output(std::ostream& out, const CliOptions& o, const Controller& c) {
    const Trace& trace = c.trace();
    const auto& lines = c.output();
    out << styled(o, "1", "Output") << '\n';
    if (lines.empty()) {
        out << styled(o, "2", "  (the program printed nothing)") << "\n\n";
        return;
    }
    // Runs of the same text at the same instant from different tasks (a thousand children
    // printing "cancelled") fold into one line: "downloadImage #1 +988 alike".
    struct Folded {
        std::size_t first;
        std::size_t alike;
        std::string lane;
    };
    constexpr std::size_t k_fold_from = 5;
    std::vector<Folded> folded;
    for (std::size_t i = 0; i < lines.size();) {
        std::size_t j = i + 1;
        const std::string first = lane_name(trace, lines[i].task);
        while (j < lines.size() && lines[j].time == lines[i].time && lines[j].text == lines[i].text &&
               text::family_name(lane_name(trace, lines[j].task)) == text::family_name(first))
            ++j;
        const std::size_t run = j - i;
        const std::string name = text::clip(lane_name(trace, lines[i].task), 28);
        if (run >= k_fold_from) {
            folded.push_back({i, run - 1, name + " +" + std::to_string(run - 1) + " alike"});
            i = j;
        } else {
            folded.push_back({i, 0, name});
            ++i;
        }
    }
    std::uint32_t time_w = display_width(format_time(c.now())), lane_w = 0;
    for (const auto& f : folded) {
        time_w = std::max(time_w, display_width(format_time(lines[f.first].time)));
        lane_w = std::max(lane_w, display_width(f.lane));
    }
    const std::string bar = styled(o, "2", "│");
    // Narration notes (`tasklab: note …`) are shown between the lines, where they happened.
    const ast::Program& p = c.program();
    std::vector<Event> notes;
    for (std::uint64_t i = 0; i < trace.size(); ++i)
        if (trace.stored(i).kind == EventKind::narration) notes.push_back(trace.at(i));
    std::size_t next_note = 0;
    std::vector<bool> note_shown(p.notes.size() + 1, false);  // each note once, where first reached
    auto write_notes_before = [&](std::uint64_t event) {
        for (; next_note < notes.size() && notes[next_note].index < event; ++next_note) {
            const Event& n = notes[next_note];
            if (n.payload >= note_shown.size() || note_shown[n.payload]) continue;
            note_shown[n.payload] = true;
            const std::string text = n.payload >= 1 && n.payload <= p.notes.size() ? p.notes[n.payload - 1] : std::string();
            if (text.empty()) continue;
            const std::string stamp = "[" + text::pad_left(format_time(n.time), time_w) + "]";
            out << styled(o, "2", stamp) << ' ' << styled(o, "3", "✎ " + escape_control_characters(text)) << '\n';
        }
    };
    for (const auto& f : folded) {
        const OutputLine& l = lines[f.first];
        write_notes_before(l.event);
        const std::string stamp = "[" + text::pad_left(format_time(l.time), time_w) + "]";
        const std::string lane = text::pad_right(f.lane, lane_w);
        bool first = true;
        for (const auto& part : split_lines(l.text)) {
            if (first) out << styled(o, "2", stamp) << ' ' << styled(o, "36", lane) << ' ' << bar << ' ' << part << '\n';
            else out << std::string(time_w + 3 + lane_w + 1, ' ') << bar << ' ' << part << '\n';
            first = false;
        }
    }
    write_notes_before(trace.size());
    out << '\n';
}

void write_summary(std::ostream& out, const CliOptions& o, const Controller& c) {
    const Trace& trace = c.trace();
    const RunStatus& st = c.status();
    out << styled(o, "1", "Summary") << '\n';
    const std::string_view mark = st.state == RunState::finished ? "✓" : st.state == RunState::uncaught_error ? "✗" : "■";
    out << "  " << styled(o, result_color(st.state), std::string(mark) + " " +
                                                       (st.message.empty() ? std::string(result_word(st.state)) : st.message))
        << '\n';

    // Tasks of one family with the same story share a line: "downloadImage #1 +988 alike"
    // (from five tasks on; fewer are listed one by one).
    struct StoryLine {
        TaskId first;
        std::size_t alike;
        bool observed;
        std::string text;
    };
    constexpr std::size_t k_fold_from = 5;
    std::vector<StoryLine> grouped;
    std::vector<std::vector<TaskId>> members;
    std::map<std::pair<std::string, std::string>, std::size_t> group_of;
    for (const auto& s : cancel_stories(trace)) {
        std::string text = describe_cancel_story(trace, s);
        const std::string family(text::family_name(lane_name(trace, s.task)));
        const auto [it, fresh] = group_of.try_emplace({family, text}, grouped.size());
        if (fresh) {
            grouped.push_back({s.task, 0, s.observed, std::move(text)});
            members.emplace_back();
        }
        members[it->second].push_back(s.task);
    }
    std::vector<StoryLine> story_lines;
    for (std::size_t g = 0; g < grouped.size(); ++g) {
        if (members[g].size() >= k_fold_from) {
            story_lines.push_back(grouped[g]);
            story_lines.back().alike = members[g].size() - 1;
        } else {
            for (const TaskId t : members[g]) {
                story_lines.push_back(grouped[g]);
                story_lines.back().first = t;
            }
        }
    }
    if (!story_lines.empty()) {
        std::vector<std::string> labels;
        std::uint32_t w = 0;
        for (const auto& l : story_lines) {
            const std::string suffix = l.alike ? " +" + std::to_string(l.alike) + " alike" : std::string();
            labels.push_back(text::clip(lane_name(trace, l.first), 28) + suffix);
            w = std::max(w, display_width(labels.back()));
        }
        out << '\n' << styled(o, "1", "Cancellation") << '\n';
        for (std::size_t i = 0; i < story_lines.size(); ++i)
            out << "  " << text::pad_right(labels[i], w) << "  "
                << styled(o, story_lines[i].observed ? "" : "33", story_lines[i].text) << '\n';
    }

    bool any_lint = false;
    for (std::uint64_t i = 0; i < trace.size(); ++i) {
        if (trace.stored(i).kind != EventKind::lint) continue;
        const Event e = trace.at(i);
        if (!any_lint) out << '\n' << styled(o, "1", "Lints") << '\n';
        any_lint = true;
        const std::string message(trace.payload_text(e));
        std::string line = "⚠ " + message;
        // Lints are written when the run ends: where the task was created says more than when.
        std::vector<std::string> context;
        if (e.task != 0 && !message.starts_with(lane_name(trace, e.task))) context.push_back(lane_name(trace, e.task));
        std::string where = span_location(&c.program(), e.span);
        if (where.empty() && e.task != 0 && e.task < trace.tasks().size()) {
            where = span_location(&c.program(), trace.task(e.task).span);
            if (!where.empty()) where = "created at " + where;
        }
        if (!where.empty()) context.push_back(where);
        for (std::size_t k = 0; k < context.size(); ++k) line += (k == 0 ? "  (" : ", ") + context[k];
        if (!context.empty()) line += ")";
        out << "  " << styled(o, "33", line) << '\n';
    }
}

// Where the run stopped for reasons of its own (errors, deadlock, limits), as a rendered
// diagnostic on stderr.
void write_stop_reason(std::ostream& err, const Controller& c) {
    const RunStatus& st = c.status();
    if (st.diagnostic && c.program().file) {
        const std::string rendered = render(*c.program().file, *st.diagnostic);
        err << rendered;
        if (!rendered.empty() && rendered.back() != '\n') err << '\n';
    } else {
        err << "tasklab: " << (st.message.empty() ? std::string(result_word(st.state)) : st.message) << '\n';
    }
}

}  // namespace

int run_command(const CliOptions& o, std::ostream& out, std::ostream& err) {
    int status = 0;
    const auto loaded = load_to_run(o, err, status);
    if (!loaded) return status;
    Controller controller(loaded->parsed.program, host_run_options());
    controller.run_until_idle();
    return report_run(o, controller, out, err);
}

int report_run(const CliOptions& o, const Controller& controller, std::ostream& out, std::ostream& err) {
    const RunStatus& st = controller.status();
    const Trace& trace = controller.trace();

    PerfettoOptions perfetto;
    perfetto.axis = o.perfetto_axis;
    // Writes one export to its file; false (with the reason on stderr) when it cannot.
    auto write_file = [&](const std::string& out_path, auto&& write) {
        std::ofstream file(out_path, std::ios::binary | std::ios::trunc);
        if (file) write(file);
        if (!file || !file.flush()) {
            err << "tasklab: cannot write " << out_path << ": " << std::strerror(errno) << '\n';
            return false;
        }
        return true;
    };
    const bool trace_to_stdout = o.trace_path == "-";
    const bool perfetto_to_stdout = o.perfetto_path == "-";
    if (!o.trace_path.empty() && !trace_to_stdout &&
        !write_file(o.trace_path, [&](std::ostream& f) { write_trace_json(f, trace, &controller.program()); }))
        return static_cast<int>(ExitCode::usage);
    if (!o.perfetto_path.empty() && !perfetto_to_stdout &&
        !write_file(o.perfetto_path,
                    [&](std::ostream& f) { write_perfetto_json(f, trace, &controller.program(), perfetto); }))
        return static_cast<int>(ExitCode::usage);

    if (trace_to_stdout) {
        write_trace_json(out, trace, &controller.program());
    } else if (perfetto_to_stdout) {
        write_perfetto_json(out, trace, &controller.program(), perfetto);
    } else if (o.view == RunView::print_only) {
        for (const auto& line : controller.output()) out << line.text << '\n';
    } else {
        write_header(out, o, controller);
        write_output(out, o, controller);
        if (o.view == RunView::events) {
            out << styled(o, "1", "Events") << '\n';
            write_event_log(out, trace, &controller.program());
        } else {
            TimelineOptions t;
            t.width = o.width;
            t.color = o.color ? ColorMode::ansi : ColorMode::plain;
            write_text_timeline(out, trace, t);
        }
        out << '\n';
        write_summary(out, o, controller);
    }
    out.flush();

    err << st.warnings;  // the runtime's warnings (a leaked continuation) come as they came
    switch (st.state) {
    case RunState::finished: err << st.stderr_text; break;  // sys.exit("message")
    case RunState::uncaught_error:
        err << st.stderr_text;
        if (!st.stderr_text.empty() && st.stderr_text.back() != '\n') err << '\n';
        break;
    default:
        // A trap (a nil unwrap, a continuation resumed twice) prints the runtime's own line first.
        if (st.state == RunState::runtime_error) err << st.stderr_text;
        write_stop_reason(err, controller);
        break;
    }
    // The table of engine/run_types.hpp: the program's own status when it ended the run itself
    // (exit(N), sys.exit(N), 130 after an uncaught KeyboardInterrupt, 128+N when a signal killed
    // it), else 0, 1 (uncaught error), 4 (runtime error, deadlock, limit, stopped) or 70
    // (internal error).
    return st.exit_code;
}

}  // namespace tasklab::cli
