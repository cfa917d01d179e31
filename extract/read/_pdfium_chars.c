/* A page's characters read from PDFium in one loop: `read_runs` is `_chars`'s PDFium work in
 * `pdfium.py` (which characters to keep, the runs of one text object, what each object's
 * characters share, each run's characters placed from their loose boxes, ligatures merged),
 * done in C because each PDFium call costs about half a microsecond from Python and a few
 * nanoseconds from here.
 *
 * Plain C with no Python headers: pdfium.py loads it with ctypes and passes PDFium's
 * functions by address (the PDFium that pypdfium2 loaded), the text page and arrays to fill.
 * Every comparison and subtraction is the one the Python fallback makes, in doubles, so
 * both give the same floats; keep the two in step.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

/* pdfium.py loads only the version it was written for (_NATIVE_VERSION): a library built
 * before a change here is not called with arguments it does not take. Bump both together. */
int read_runs_version(void) { return 1; }

typedef struct { float left, top, right, bottom; } FS_RECTF;
typedef struct { float a, b, c, d, e, f; } FS_MATRIX;

/* The PDFium functions used, by address (pdfium.py's _Functions). */
typedef struct {
    int (*is_generated)(void *page, int index);
    void *(*text_object)(void *page, int index);
    int (*char_origin)(void *page, int index, double *x, double *y);
    int (*loose_box)(void *page, int index, FS_RECTF *rect);
    void *(*object_font)(void *object);
    int (*object_matrix)(void *object, FS_MATRIX *matrix);
    double (*font_size)(void *page, int index);
} pdfium_fns;

/* A space or line break (U+0020, CR, LF, NUL) in the page text, as UTF-32 units. */
static int space_or_break(const unsigned char *codes, int i) {
    uint32_t code;
    memcpy(&code, codes + 4 * (size_t)i, sizeof code);
    return code == 0x20 || code == 0x0D || code == 0x0A || code == 0;
}

/* _object_runs: the end of the run of kept positions from `start` drawn by one object (where
 * `in_order`, found by galloping and bisecting, as there, so that both find the same ends). */
static int run_end(const uintptr_t *objects, int n, int start, int in_order) {
    uintptr_t key = objects[start];
    int end;
    if (!in_order) {
        end = start + 1;
        while (end < n && objects[end] == key) end++;
        return end;
    }
    int low = start, step = 1, high;
    while (low + step < n && objects[low + step] == key) {
        low += step;
        step *= 2;
    }
    high = low + step < n ? low + step : n;
    while (high - low > 1) {
        int middle = (low + high) / 2;
        if (objects[middle] == key) low = middle;
        else high = middle;
    }
    return high;
}

/* _run_glyphs: the glyphs of kept positions [start, end) from their loose boxes, written
 * from glyph `g`; returns the glyph count after them, or -1 where the characters do not
 * share one baseline (nothing is then to be read from the glyph arrays). */
static int place_run(const pdfium_fns *f, void *page, const int *kept, int start, int end, double mb_x0,
                     double *baseline, int *glyph_first, double *x0s, double *x1s, int g) {
    FS_RECTF rect;
    double x, y, x_first, x_last, bx, by;
    int first = kept[start], last = kept[end - 1], before = first;
    f->char_origin(page, first, &x, &y);
    x_first = x;
    *baseline = y;
    f->char_origin(page, last, &x, &y);
    x_last = x;
    f->loose_box(page, first, &rect);
    if (y != *baseline || (double)rect.left != x_first) return -1;
    /* _SAME_ORIGIN's share; b > a ? b : a is Python's max(a, b), NaN included. */
    double a = fabs(x_first), b = fabs(x_last);
    double near = 1e-5 * (1 + (b > a ? b : a));
    double previous = -INFINITY;
    for (int p = start; p < end; p++) {
        int i = kept[p];
        f->loose_box(page, i, &rect);
        double left = rect.left, gap = left - previous;
        if (-near <= gap && gap <= near) {
            /* A ligature's characters share one origin: the glyph already written. */
            f->char_origin(page, before, &bx, &by);
            f->char_origin(page, i, &x, &y);
            if (bx == x && by == y) continue;
        }
        previous = left;
        before = i;
        glyph_first[g] = p;
        x0s[g] = left - mb_x0;
        x1s[g] = (double)rect.right - mb_x0;
        g++;
    }
    return previous != x_last ? -1 : g;
}

/* The page's characters in runs. `codes` is the page text (`count` UTF-32 units): spaces and
 * breaks PDFium generated are dropped. Fills, each array `count` long:
 *   kept[k]: the character index of kept position k (`objects[k]` its text object);
 *   run_ends[r]: run r's end, a kept position (it starts at the last one's end);
 *   run_objects[r], run_fonts[r]: the text object drawing it and the object's font (0 for none);
 *   run_values[6r..6r+5]: its baseline (see run_glyph_ends), the object's matrix a, b, c, d
 *     and its first character's font size;
 *   run_glyph_ends[r]: for a run of an object, the end of its glyphs (its first is the last
 *     run's end); -1 where the run is to be placed character by character (not one
 *     baseline, or no object);
 *   glyph_first[g], x0s[g], x1s[g]: glyph g's first kept position (a ligature's characters
 *     are the kept positions up to the next glyph's) and its loose box's left and right,
 *     less `mb_x0`.
 * Returns the number of runs. */
int read_runs(const pdfium_fns *f, void *page, int count, const unsigned char *codes, int in_order, double mb_x0,
              int *kept, uintptr_t *objects, int *run_ends, uintptr_t *run_objects, uintptr_t *run_fonts,
              double *run_values, int *run_glyph_ends, int *glyph_first, double *x0s, double *x1s) {
    int n = 0, runs = 0, g = 0;
    for (int i = 0; i < count; i++) {
        if (space_or_break(codes, i) && f->is_generated(page, i)) continue;
        kept[n] = i;
        objects[n] = (uintptr_t)f->text_object(page, i);
        n++;
    }
    for (int start = 0; start < n; runs++) {
        int end = run_end(objects, n, start, in_order), placed = -1;
        void *object = (void *)objects[start];
        FS_MATRIX matrix = {0, 0, 0, 0, 0, 0};
        double *values = run_values + 6 * (size_t)runs;
        run_ends[runs] = end;
        run_objects[runs] = objects[start];
        run_fonts[runs] = object ? (uintptr_t)f->object_font(object) : 0;
        if (object) f->object_matrix(object, &matrix);
        values[0] = 0;
        values[1] = matrix.a;
        values[2] = matrix.b;
        values[3] = matrix.c;
        values[4] = matrix.d;
        values[5] = f->font_size(page, kept[start]);
        if (object) placed = place_run(f, page, kept, start, end, mb_x0, &values[0], glyph_first, x0s, x1s, g);
        run_glyph_ends[runs] = placed;
        if (placed >= 0) g = placed;
        start = end;
    }
    return runs;
}
