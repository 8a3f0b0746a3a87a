// Charts as inline SVG: no script and no external library, so they render in
// any viewer and survive being printed to PDF.
#include "reports/html_parts.hpp"

namespace acmespec::reports::html {
namespace {

constexpr int kWidth = 640;
constexpr int kBarHeight = 22;
constexpr int kLabelWidth = 150;

// Segments of one stacked bar from x0 over `width` pixels.
std::string stacked_bar(const std::map<Outcome, int>& counts, int x0, int y, int width, const std::string& label) {
  int total = 0;
  for (const auto& [o, n] : counts) total += n;
  std::string out;
  if (total == 0) return out;
  int x = x0, used = 0, acc = 0;
  for (Outcome o : kAllOutcomes) {
    const auto it = counts.find(o);
    if (it == counts.end() || it->second == 0) continue;
    acc += it->second;
    // Cumulative rounding so the segments always fill the bar exactly.
    const int end = static_cast<int>(static_cast<long long>(acc) * width / total);
    const int w = end - used;
    used = end;
    out += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" + std::to_string(w) +
           "\" height=\"" + std::to_string(kBarHeight) + "\" fill=\"" + outcome_colour(o) + "\"><title>" + esc(label) +
           ": " + std::to_string(it->second) + " " + std::string(to_string(o)) + "</title></rect>";
    x += w;
  }
  return out;
}

}  // namespace

std::string overall_chart(const Summary& summary) {
  std::map<Outcome, int> counts;
  for (Outcome o : kAllOutcomes) counts[o] = summary.count(o);
  const int height = kBarHeight + 34;
  std::string out = "<svg class=\"chart\" id=\"chart-overall\" role=\"img\" aria-label=\"outcomes of all checks\" "
                    "xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kWidth) + "\" height=\"" +
                    std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
                    std::to_string(height) + "\">";
  out += "<rect x=\"0\" y=\"0\" width=\"" + std::to_string(kWidth) + "\" height=\"" + std::to_string(kBarHeight) +
         "\" fill=\"#eeeeee\"/>";
  out += stacked_bar(counts, 0, 0, kWidth, "all checks");
  int x = 0;
  for (Outcome o : kAllOutcomes) {
    const std::string text = std::string(to_string(o)) + " " + std::to_string(summary.count(o));
    out += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(kBarHeight + 12) +
           "\" width=\"12\" height=\"12\" fill=\"" + outcome_colour(o) + "\"/><text x=\"" + std::to_string(x + 16) +
           "\" y=\"" + std::to_string(kBarHeight + 23) + "\">" + text + "</text>";
    x += 104;
  }
  return out + "</svg>";
}

std::string section_chart(const SectionCounts& sections) {
  const int row = kBarHeight + 6;
  const int height = static_cast<int>(sections.size()) * row + 4;
  std::string out = "<svg class=\"chart\" id=\"chart-sections\" role=\"img\" aria-label=\"outcomes per RFC section\" "
                    "xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kWidth) + "\" height=\"" +
                    std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
                    std::to_string(height) + "\">";
  int y = 0;
  for (const auto& [name, counts] : sections) {
    int total = 0;
    for (const auto& [o, n] : counts) total += n;
    out += "<text x=\"0\" y=\"" + std::to_string(y + 16) + "\">" + esc(name) + "</text>";
    out += "<text x=\"" + std::to_string(kWidth - 4) + "\" y=\"" + std::to_string(y + 16) +
           "\" text-anchor=\"end\">" + std::to_string(total) + "</text>";
    out += stacked_bar(counts, kLabelWidth, y, kWidth - kLabelWidth - 48, name);
    y += row;
  }
  return out + "</svg>";
}

}  // namespace acmespec::reports::html
