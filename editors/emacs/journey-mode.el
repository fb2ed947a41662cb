;;; journey-mode.el --- Major mode for Journey files -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages

;;; Commentary:

;; A major mode for Journey customer-journey files (*.journey) and
;; standard-library declarations (*.jstd): font-lock, `//' and `/* */'
;; comments, 2-space indentation by brace depth, and registration of the
;; `journeyc lsp' language server with eglot.
;;
;;   (add-to-list 'load-path "/path/to/journey/editors/emacs")
;;   (require 'journey-mode)
;;   (add-hook 'journey-mode-hook #'eglot-ensure)
;;
;; `M-x compile' with `journeyc check FILE' understands the compiler's
;; diagnostics (file:line:col: error[J0101]: ...).

;;; Code:

(defgroup journey nil
  "Support for the Journey language."
  :group 'languages
  :prefix "journey-")

(defcustom journey-indent-offset 2
  "Indentation of Journey code, per level of braces or brackets."
  :type 'integer
  :safe #'integerp)

(defcustom journey-server-command '("journeyc" "lsp")
  "Command that starts the Journey language server, for eglot.
Set it before eglot is loaded, e.g. to (\"/path/to/journeyc\" \"lsp\")."
  :type '(repeat string))

(defconst journey--keywords
  '("node" "flow" "start" "entry" "goal" "wait" "until" "send" "segment" "split"
    "update" "exit" "end" "on" "window" "timeout" "reentry"
    "description" "timezone" "dnd" "limit" "per" "at" "after" "before" "within"
    "last" "did" "where" "from" "list" "schedule" "once" "daily" "weekly"
    "monthly" "every" "day" "never" "always" "defer" "discard" "user" "fallback"
    "set" "add" "remove" "increment" "decrement" "to" "by" "count" "sum" "avg"
    "min" "max" "required" "optional" "status" "needs" "for"
    "and" "or" "not" "in" "contains" "starts_with" "ends_with")
  "Journey keywords.")

(defconst journey--declarations
  '("event" "profile" "journey" "channel" "function" "filter")
  "Words that start a top-level declaration.")

(defconst journey--types
  '("string" "number" "bool" "datetime" "duration" "map" "any")
  "Journey type names.")

(defconst journey--ident "[A-Za-z_][A-Za-z0-9_]*")

(defconst journey-font-lock-keywords
  `(;; node NAME  /  a named flow step  /  -> target
    (,(concat "\\_<node\\s-+\\(" journey--ident "\\)") 1 font-lock-function-name-face)
    (,(concat "^\\s-*\\(" journey--ident "\\)\\s-*:\\s-*\\_<\\(?:send\\|wait\\|segment\\|split\\|update\\|exit\\)\\_>")
     1 font-lock-function-name-face)
    (,(concat "->\\s-*\\(" journey--ident "\\)") 1
     (if (member (match-string 1) '("end" "exit")) font-lock-keyword-face font-lock-function-name-face))
    ;; goal NAME
    (,(concat "\\_<goal\\s-+\\(" journey--ident "\\)") 1 font-lock-constant-face)
    ;; channels: send push, limit sms, channel email
    (,(concat "\\_<\\(?:send\\|limit\\|channel\\)\\s-+\\(" journey--ident "\\)") 1 font-lock-type-face)
    ;; connector labels (statuses): on replied -> end, timeout -> x
    (,(concat "\\_<\\(" journey--ident "\\)\\s-*->") 1
     (unless (equal (match-string 1) "start") font-lock-constant-face))
    ;; entry.x / profile.x
    (,(concat "\\_<\\(entry\\|profile\\)\\s-*\\.\\s-*\\(" journey--ident "\\)")
     (1 font-lock-builtin-face) (2 font-lock-variable-name-face))
    ;; literals: dates, times, durations, percentages, malformed numbers
    ("\\_<[0-9]\\{4\\}-[0-9]\\{2\\}-[0-9]\\{2\\}\\_>" . font-lock-constant-face)
    ("\\_<[0-9]\\{2\\}:[0-9]\\{2\\}\\_>" . font-lock-constant-face)
    ("\\_<\\(?:[0-9]+[smhdw]\\)+\\_>" . font-lock-constant-face)
    ("\\_<[0-9]+\\(?:\\.[0-9]+\\)?%" . font-lock-constant-face)
    ("\\_<[0-9]+\\(?:\\.[0-9]+\\)?[A-Za-z_][A-Za-z0-9_]*" . font-lock-warning-face)
    (,(regexp-opt '("true" "false") 'symbols) . font-lock-constant-face)
    (,(regexp-opt journey--declarations 'symbols) . font-lock-keyword-face)
    (,(regexp-opt journey--keywords 'symbols) . font-lock-keyword-face)
    (,(regexp-opt journey--types 'symbols) . font-lock-type-face)
    ;; {{ ... }} templates inside strings
    ("{{[^}\n]*}}" 0 font-lock-preprocessor-face prepend))
  "Font-lock rules for `journey-mode'.")

(defvar journey-mode-syntax-table
  (let ((table (make-syntax-table)))
    ;; `//' line comments and `/* */' block comments.
    (modify-syntax-entry ?/ ". 124b" table)
    (modify-syntax-entry ?* ". 23" table)
    (modify-syntax-entry ?\n "> b" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?\\ "\\" table)
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?{ "(}" table)
    (modify-syntax-entry ?} "){" table)
    (modify-syntax-entry ?\[ "(]" table)
    (modify-syntax-entry ?\] ")[" table)
    (modify-syntax-entry ?\( "()" table)
    (modify-syntax-entry ?\) ")(" table)
    (modify-syntax-entry ?- "." table)
    (modify-syntax-entry ?> "." table)
    (modify-syntax-entry ?< "." table)
    (modify-syntax-entry ?% "." table)
    (modify-syntax-entry ?| "." table)
    table)
  "Syntax table for `journey-mode'.")

(defun journey--syntax-propertize (start end)
  "Mark triple-quoted strings between START and END as single strings."
  (goto-char start)
  (funcall
   (syntax-propertize-rules
    ("\"\\(\"\\)\"" (1 (let ((ppss (save-excursion (syntax-ppss (match-beginning 0)))))
                         (unless (nth 4 ppss) (string-to-syntax "|"))))))
   start end))

(defun journey-indent-line ()
  "Indent the current line by the depth of its enclosing braces and brackets."
  (interactive)
  (let* ((depth (save-excursion (car (syntax-ppss (line-beginning-position)))))
         (closing (save-excursion
                    (back-to-indentation)
                    (looking-at-p "[]})]")))
         (indent (* journey-indent-offset (max 0 (- depth (if closing 1 0)))))
         (offset (- (current-column) (current-indentation))))
    (indent-line-to indent)
    (when (> offset 0) (forward-char offset))))

;;;###autoload
(define-derived-mode journey-mode prog-mode "Journey"
  "Major mode for Journey customer-journey files."
  :syntax-table journey-mode-syntax-table
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "\\(?://+\\|/\\*+\\)\\s-*")
  (setq-local font-lock-defaults '(journey-font-lock-keywords))
  (setq-local syntax-propertize-function #'journey--syntax-propertize)
  (setq-local indent-line-function #'journey-indent-line)
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width journey-indent-offset))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.journey\\'" . journey-mode))
;;;###autoload
(add-to-list 'auto-mode-alist '("\\.jstd\\'" . journey-mode))

;; `M-x compile' with `journeyc check': file:line:col: error[J0101]: message
(with-eval-after-load 'compile
  (add-to-list 'compilation-error-regexp-alist-alist
               '(journeyc "^\\([^: \n][^:\n]*\\):\\([0-9]+\\):\\([0-9]+\\): \\(?:error\\|\\(warning\\)\\|\\(note\\)\\)"
                          1 2 3 (4 . 5)))
  (add-to-list 'compilation-error-regexp-alist 'journeyc))

;; The language server: (journey-mode "journeyc" "lsp") by default.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs (cons 'journey-mode journey-server-command)))

(provide 'journey-mode)

;;; journey-mode.el ends here
