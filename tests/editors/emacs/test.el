;;; test.el --- Batch Emacs test of editors/emacs/journey-mode.el with eglot -*- lexical-binding: t; -*-

;; Run by run.sh as
;;   emacs --batch -Q -l tests/editors/emacs/test.el
;; with JOURNEYC (the journeyc binary), JOURNEY_ROOT (the source tree) and
;; JOURNEY_WORK (a scratch directory) in the environment.  It
;;   1. opens a broken copy of examples/abandoned_cart.journey (a connector
;;      to a misspelt node) in `journey-mode', starts eglot with the server
;;      the mode registers, and waits for flymake to show the server's
;;      diagnostics: J0101 (error) on the connector, J0301 (warning) on the
;;      node now unreachable;
;;   2. asks for hover on a node name and checks the node summary;
;;   3. formats an unformatted file with `eglot-format-buffer' and compares
;;      the buffer with `journeyc fmt';
;;   4. checks that font-lock colours a keyword, a node name and a duration.
;; It prints one line per check and exits non-zero on any failure.  Every
;; wait is bounded (a few seconds).

;;; Code:

(require 'package)
;; Debian's elpa-eglot (and the newer project and xref it needs) lives under
;; /usr/share/emacs/site-lisp/elpa, which -Q does not activate.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'eglot)
(require 'flymake)
(require 'subr-x)

(defvar journey-test-timeout 10 "Seconds to wait for each server answer.")
(defvar journey-test-failures 0)
(defvar journey-test-journeyc (getenv "JOURNEYC"))
(defvar journey-test-root (getenv "JOURNEY_ROOT"))
(defvar journey-test-work (getenv "JOURNEY_WORK"))

(defun journey-test-log (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun journey-test-check (ok what &optional detail)
  (if ok
      (journey-test-log "ok   %s" what)
    (setq journey-test-failures (1+ journey-test-failures))
    (journey-test-log "FAIL %s%s" what (if detail (format ": %s" detail) "")))
  ok)

(defun journey-test-wait (predicate)
  "Process events until PREDICATE holds or the timeout passes; its value."
  (let ((deadline (+ (float-time) journey-test-timeout))
        (value nil))
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defun journey-test-read (path)
  (with-temp-buffer
    (insert-file-contents-literally path)
    (buffer-string)))

(defun journey-test-write (path text)
  (with-temp-file path
    (set-buffer-multibyte nil)
    (insert text)))

(defun journey-test-diagnostics ()
  "The flymake diagnostics of the current buffer, sorted by position."
  (sort (flymake-diagnostics)
        (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))

(defun journey-test-line-of (diag)
  (line-number-at-pos (flymake-diagnostic-beg diag)))

(defun journey-test-diagnostics-and-hover ()
  (let* ((original (journey-test-read (expand-file-name "examples/abandoned_cart.journey" journey-test-root)))
         (broken (replace-regexp-in-string "wait 30m -> cart_reminder" "wait 30m -> cart_remindr" original t t))
         (path (expand-file-name "broken.journey" journey-test-work)))
    (unless (not (string= broken original))
      (error "examples/abandoned_cart.journey changed: `wait 30m -> cart_reminder' not found"))
    (journey-test-write path broken)
    (find-file path)
    (journey-test-check (eq major-mode 'journey-mode) "journey-mode is chosen for .journey" major-mode)
    (eglot-ensure)
    ;; eglot-ensure connects from post-command-hook, which batch mode never runs.
    (run-hooks 'post-command-hook)
    (unless (journey-test-check (journey-test-wait (lambda () (eglot-current-server)))
                                "eglot connected to journeyc lsp")
      (error "no server"))
    (journey-test-check (journey-test-wait (lambda () (journey-test-diagnostics)))
                        "diagnostics arrived in flymake")
    ;; Give the server's coalesced re-check a moment to settle, then read.
    (let* ((diags (journey-test-diagnostics))
           (texts (mapcar (lambda (d)
                            (format "%d %s %s" (journey-test-line-of d) (flymake-diagnostic-type d)
                                    (flymake-diagnostic-text d)))
                          diags))
           (connector-line (with-temp-buffer (insert broken) (goto-char (point-min))
                                             (search-forward "cart_remindr") (line-number-at-pos))))
      (dolist (text texts) (journey-test-log "     diagnostic %s" text))
      (journey-test-check
       (seq-some (lambda (d) (and (= (journey-test-line-of d) connector-line)
                                  (eq (flymake-diagnostic-type d) 'eglot-error)
                                  (string-match-p "J0101" (flymake-diagnostic-text d))
                                  (string-match-p "cart_remindr" (flymake-diagnostic-text d))))
                 diags)
       "J0101 error on the misspelt connector" (string-join texts "; "))
      (journey-test-check
       (seq-some (lambda (d) (and (eq (flymake-diagnostic-type d) 'eglot-warning)
                                  (string-match-p "J0301" (flymake-diagnostic-text d))))
                 diags)
       "J0301 warning on the node now unreachable" (string-join texts "; ")))
    ;; Hover on the node name in `node cart_reminder'.
    (goto-char (point-min))
    (search-forward "node cart_reminder")
    (backward-char 3)
    (let* ((server (eglot-current-server))
           (hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
           (contents (plist-get hover :contents))
           (value (if (stringp contents) contents (plist-get contents :value))))
      (journey-test-check (and value (string-match-p "cart_reminder" value) (string-match-p "send" value))
                          "hover on a node shows its summary" value))))

(defun journey-test-formatting ()
  (let* ((messy (concat "event \"Charged\" {amount:number,   currency:string}\n"
                        "profile{first_name:string}\n"
                        "journey \"Messy\"{\n"
                        "entry did \"Charged\"   where amount>500\n"
                        "  start->thanks\n"
                        "      node thanks:send push{title:\"Thanks, {{ profile.first_name }}\"  body:\"Enjoy\"}->later\n"
                        "node later : wait 1h30m -> end   // a comment\n"
                        "}\n"))
         (path (expand-file-name "messy.journey" journey-test-work))
         (status nil)
         (expected (with-temp-buffer
                     (insert messy)
                     (setq status (call-process-region (point-min) (point-max) journey-test-journeyc
                                                       t t nil "fmt" "-"))
                     (buffer-string))))
    (journey-test-check (eql status 0) "journeyc fmt formats the messy file" expected)
    (journey-test-check (not (string= expected messy)) "the messy file is not formatted yet")
    (journey-test-write path messy)
    (find-file path)
    (eglot-ensure)
    (run-hooks 'post-command-hook)
    (journey-test-wait (lambda () (eglot-current-server)))
    (eglot-format-buffer)
    (journey-test-check (string= (buffer-string) expected) "eglot-format-buffer gives `journeyc fmt' output"
                        (format "%S" (buffer-string)))))

(defun journey-test-font-lock ()
  (with-temp-buffer
    (insert "journey j {\n  flow {\n    node wait_a: wait 30m -> end\n  }\n}\n")
    (journey-mode)
    (font-lock-ensure)
    (let ((face-at (lambda (needle)
                     (goto-char (point-min))
                     (search-forward needle)
                     (get-text-property (match-beginning 0) 'face))))
      (journey-test-check (eq (funcall face-at "flow") 'font-lock-keyword-face) "font-lock: keyword")
      (journey-test-check (eq (funcall face-at "wait_a") 'font-lock-function-name-face) "font-lock: node name")
      (journey-test-check (eq (funcall face-at "30m") 'font-lock-constant-face) "font-lock: duration"))))

(defun journey-test-run ()
  (unless (and journey-test-journeyc journey-test-root journey-test-work)
    (error "JOURNEYC, JOURNEY_ROOT and JOURNEY_WORK must be set"))
  (add-to-list 'load-path (expand-file-name "editors/emacs" journey-test-root))
  (require 'journey-mode)
  (setq journey-server-command (list journey-test-journeyc "lsp"))
  ;; journey-mode registered its server when eglot loaded; point it here.
  (setq eglot-server-programs (cons (cons 'journey-mode journey-server-command)
                                    (assq-delete-all 'journey-mode eglot-server-programs)))
  (setq eglot-sync-connect t
        eglot-autoshutdown t
        eglot-events-buffer-size 0)
  (journey-test-log "emacs %s, eglot %s" emacs-version
                    (or (ignore-errors (package-desc-version (cadr (assq 'eglot package-alist)))) "?"))
  (condition-case err
      (progn
        (journey-test-diagnostics-and-hover)
        (journey-test-formatting)
        (journey-test-font-lock))
    (error (journey-test-check nil "test ran to the end" (error-message-string err))))
  (ignore-errors (eglot-shutdown-all))
  (journey-test-log "%d failure(s)" journey-test-failures)
  (kill-emacs (if (zerop journey-test-failures) 0 1)))

(journey-test-run)

;;; test.el ends here
