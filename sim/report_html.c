/* report_html.c writes the HTML report (report.h): one self-contained page,
 * no network and no file beside it. The finding's facts as the text report
 * gives them; both sites with their source lines, the site's own line
 * highlighted; and a timeline of the whole run drawn from the trace-event
 * report embedded in the page (report_html_script.c). */
#include <string.h>

#include "report.h"

extern const char sim_report_html_script[];

static const char style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#222}"
    "h1{font-size:20px;margin:0 0 6px}h1.error{color:#b00020}h1.rule{color:#9a6700}"
    "h2{font-size:14px;margin:12px 0 4px;font-family:monospace}"
    "table.facts th{text-align:left;padding-right:12px;color:#555;font-weight:normal;vertical-align:top}"
    "table.facts td{font-family:monospace}"
    "pre{background:#f4f4f4;padding:6px;margin:0;overflow-x:auto}"
    "mark.hit{background:#ffe08a;display:block}"
    ".controls{margin:12px 0 6px}.controls button{margin-right:4px}"
    ".legend span{display:inline-block;padding:0 6px;margin-left:6px;color:#fff;border-radius:3px}"
    ".lanes-box{display:flex;border:1px solid #ccc}"
    "#labels{flex:none;width:220px;border-right:1px solid #ccc}"
    ".lane-label{height:26px;line-height:26px;padding:0 6px;font-family:monospace;white-space:nowrap;"
    "overflow:hidden;text-overflow:ellipsis}"
    ".lane-label:nth-child(even){background:#f6f6f6}"
    "#lanes{flex:auto;width:100%;cursor:grab}"
    "#tip{position:absolute;display:none;background:#222;color:#fff;padding:3px 6px;font-size:12px;"
    "border-radius:3px;pointer-events:none}";

/* `text` with &, <, > and " escaped. */
static void put_escaped(FILE *out, const char *text) {
    for (; *text != '\0'; text++) {
        switch (*text) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        default:
            fputc(*text, out);
        }
    }
}

static void site_box(FILE *out, const char *class, const char *label, const sim_site *site) {
    if (site == NULL)
        return;
    fprintf(out, "<div class=\"site %s\"><h2>%s ", class, label);
    char where[512];
    snprintf(where, sizeof where, "%s:%d (%s)", site->file, site->line, site->func);
    put_escaped(out, where);
    fputs("</h2>", out);
    sim_source_line lines[SIM_SOURCE_LINES_MAX];
    int count = sim_report_source_lines(site, lines, SIM_SOURCE_LINES_MAX);
    fputs(count > 0 ? "<pre>" : "", out);
    for (int i = 0; i < count; i++) {
        bool hit = lines[i].number == site->line;
        fprintf(out, hit ? "<mark class=\"hit\">%5d | " : "%5d | ", lines[i].number);
        put_escaped(out, lines[i].text);
        fputs(hit ? "</mark>" : "\n", out);
    }
    fputs(count > 0 ? "</pre></div>\n" : "</div>\n", out);
}

/* A fact as a row of the facts table; the message and the sites have
 * places of their own on the page. */
static void fact_row(void *user, const char *name, const char *value, const sim_site *site) {
    FILE *out = user;
    if (site != NULL || strcmp(name, "what") == 0)
        return;
    fprintf(out, "<tr><th>%s</th><td>", name);
    put_escaped(out, value);
    fputs("</td></tr>\n", out);
}

/* The trace inside a script element: "</" would end the element early. */
static void put_trace(FILE *out, const char *trace, size_t size) {
    for (size_t i = 0; i < size; i++) {
        if (trace[i] == '<' && i + 1 < size && trace[i + 1] == '/')
            fputs("<\\", out);
        else
            fputc(trace[i], out);
    }
}

void sim_report_html(FILE *out, const sim_report_doc *doc, const char *trace, size_t trace_size) {
    const sim_finding_info *info = &doc->finding->info;
    bool error = info->severity == SIM_SEV_ERROR;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>spinsim: ", out);
    fprintf(out, "%s in %s</title>\n<style>%s</style></head>\n<body>\n", sim_kind_token(info->kind), doc->scenario,
            style);
    fprintf(out, "<h1 class=\"%s\">%s (%s) in scenario %s</h1>\n<p class=\"what\">", error ? "error" : "rule",
            sim_kind_token(info->kind), error ? "error" : "rule", doc->scenario);
    put_escaped(out, info->message);
    fputs("</p>\n", out);
    fputs("<table class=\"facts\">\n", out);
    sim_report_facts(doc->finding, doc->snapshot, doc->scenario, doc->schedule_path, fact_row, out);
    fputs("</table>\n", out);
    fputs("<section class=\"sites\">\n", out);
    site_box(out, "site-finding", "site", doc->finding->site);
    site_box(out, "site-other", "other site", info->other_site);
    fputs("</section>\n<section class=\"timeline\"><div class=\"controls\">"
          "<button id=\"zoom-in\">+</button><button id=\"zoom-out\">&minus;</button>"
          "<button id=\"zoom-fit\">fit</button> <span id=\"view\"></span><span class=\"legend\">"
          "<span style=\"background:#4e79a7\">thread</span><span style=\"background:#59a14f\">DPC</span>"
          "<span style=\"background:#76b7b2\">threaded DPC</span><span style=\"background:#e15759\">ISR</span>"
          "<span style=\"background:#f28e2b\">lock held</span><span style=\"background:#9d9d9d\">spin-wait</span>"
          "<span style=\"background:rgba(120,60,160,0.35)\">IRQL</span></span> wheel: zoom, shift+wheel or "
          "drag: scroll</div>\n<div class=\"lanes-box\"><div id=\"labels\"></div><canvas id=\"lanes\"></canvas>"
          "</div></section>\n<div id=\"tip\"></div>\n<script type=\"application/json\" id=\"trace\">",
          out);
    put_trace(out, trace, trace_size);
    fprintf(out, "</script>\n<script>\n%s</script>\n</body></html>\n", sim_report_html_script);
}
