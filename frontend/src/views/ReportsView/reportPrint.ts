// Printing a report page: the page itself, without the menu, header, pickers and buttons. The print
// rules (report-print.css) apply only while the body carries the class, so no other page's printing
// changes.
import './report-print.css'

export function printReport() {
  document.body.classList.add('printing-report')
  const done = () => {
    document.body.classList.remove('printing-report')
    window.removeEventListener('afterprint', done)
  }
  window.addEventListener('afterprint', done)
  window.print()
}
