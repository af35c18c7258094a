# language: fr
Fonctionnalité: Les visites : l'équipe de l'adhérent, ses rendez-vous demandés, programmés et annulés
  Le service affecte à chaque adhérent une équipe pluridisciplinaire (médecin du travail,
  infirmier…) et un centre de visite ; les utilisateurs de l'adhérent les voient sur le portail.
  L'administrateur et les utilisateurs qui ont le rôle Convocation demandent un rendez-vous pour un
  salarié ; le service le programme sur un créneau d'un de ses professionnels : le salarié est
  convoqué, et le rendez-vous apparaît dans « Mes rendez-vous à venir ».
  L'adhérent annule en ligne tant que 2 jours ouvrés au moins séparent le jour de l'annulation du
  jour du rendez-vous (ni l'un ni l'autre ne compte) ; les jours ouvrés vont du lundi au vendredi,
  jours fériés exceptés. Le nombre de jours est un paramètre du service.
  La visite de pré-reprise ne se demande pas par l'employeur : le salarié, son médecin traitant,
  le médecin conseil de l'assurance maladie ou le médecin du travail la demandent (articles
  L4624-2-4 et R4624-29 du Code du travail).
  Nous sommes le lundi 04/05/2026, à 10 h à Paris.

  Contexte:
    Soit le service a enregistré l'adhérent « 00021 », raison sociale « Boulangerie des Ducs », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@boulangerie-des-ducs.fr »
    Et Claire est administratrice de « Boulangerie des Ducs »
    Et Paul MOREAU, responsable du personnel, a pour adresse e-mail « paul.moreau@boulangerie-des-ducs.fr »
    Et Claire a donné accès au portail à Paul, avec le rôle Convocation
    Et Paul se connecte au portail avec un code reçu par e-mail
    Et Claire a enregistré les salariés de « Boulangerie des Ducs » :
      | salarié    | sexe | né(e) le   | contrat | embauché(e) le | poste      |
      | Lisa LERGY | F    | 12/12/1995 | CDI     | 27/09/2022     | Boulangère |
    Et le service a ouvert le centre de visite « Centre Dijon Toison d'Or », 12 boulevard de Champagne, 21000 DIJON, téléphone 03 80 00 00 00, du lundi au vendredi
    Et le service a enregistré ses professionnels :
      | professionnel | rôle                          |
      | Anne LEFÈVRE  | Médecin du travail            |
      | Marc ROUX     | Médecin du travail            |
      | Luc GARNIER   | Infirmier en santé au travail |

  Scénario: L'adhérent voit son équipe pluridisciplinaire et son centre de visite
    Quand le service affecte Anne LEFÈVRE à l'équipe de « Boulangerie des Ducs » à partir du 04/05/2026
    Et le service affecte Luc GARNIER à l'équipe de « Boulangerie des Ducs » à partir du 04/05/2026
    Et le service rattache « Boulangerie des Ducs » au centre « Centre Dijon Toison d'Or » à partir du 04/05/2026
    Et le service affecte Marc ROUX à l'équipe de « Boulangerie des Ducs » à partir du 01/06/2026
    Alors l'équipe de « Boulangerie des Ducs » aujourd'hui, vue par Paul, est :
      | rôle                          | nom          | depuis le  |
      | Médecin du travail            | Anne LEFÈVRE | 04/05/2026 |
      | Infirmier en santé au travail | Luc GARNIER  | 04/05/2026 |
    Et l'équipe de « Boulangerie des Ducs » au 01/06/2026, vue par Paul, est :
      | rôle                          | nom         | depuis le  |
      | Médecin du travail            | Marc ROUX   | 01/06/2026 |
      | Infirmier en santé au travail | Luc GARNIER | 04/05/2026 |
    Et le centre de visite de « Boulangerie des Ducs », vu par Paul, montre :
      | Nom               | Centre Dijon Toison d'Or                |
      | Adresse           | 12 boulevard de Champagne, 21000 DIJON  |
      | Téléphone         | 03 80 00 00 00                          |
      | Jours d'ouverture | lundi, mardi, mercredi, jeudi, vendredi |

  Scénario: La demande de Paul, programmée par le service, apparaît dans « Mes rendez-vous à venir »
    Quand Paul demande une visite périodique pour Lisa LERGY, à prévoir du 18/05/2026 au 29/05/2026, motif « Renouvellement du suivi individuel »
    Alors le rendez-vous est enregistré
    Et « Mes rendez-vous à venir », vus par Paul, sont :
      | salarié    | visite            | statut  | jour | heure | centre |
      | Lisa LERGY | Visite périodique | Demandé |      |       |        |
    Quand le service convoque Lisa LERGY le mardi 26/05/2026 de 9 h 00 à 9 h 30 avec Anne LEFÈVRE, au « Centre Dijon Toison d'Or »
    Alors le rendez-vous est enregistré
    Et « Mes rendez-vous à venir », vus par Paul, sont :
      | salarié    | visite            | statut    | jour       | heure  | centre                   |
      | Lisa LERGY | Visite périodique | Programmé | 26/05/2026 | 9 h 00 | Centre Dijon Toison d'Or |
    Et « Mes rendez-vous à venir », vus par Claire, sont :
      | salarié    | statut    | jour       |
      | Lisa LERGY | Programmé | 26/05/2026 |

  Scénario: Paul annule à temps : le lundi de Pentecôte ne compte pas, le jeudi et le vendredi d'avant oui
    Soit le lundi 25/05/2026 est un jour férié : Lundi de Pentecôte
    Et Paul demande une visite périodique pour Lisa LERGY, à prévoir du 18/05/2026 au 29/05/2026, motif « Renouvellement du suivi individuel »
    Et le service convoque Lisa LERGY le mardi 26/05/2026 de 9 h 00 à 9 h 30 avec Anne LEFÈVRE, au « Centre Dijon Toison d'Or »
    Et le mercredi 20/05/2026 arrive ; chacun se reconnecte au portail
    Quand Paul annule le rendez-vous de Lisa LERGY
    Alors le rendez-vous est enregistré
    Et Paul n'a aucun rendez-vous à venir
    Et le créneau de Anne LEFÈVRE du mardi 26/05/2026 à 9 h 00 est de nouveau libre

  Plan du Scénario: Trop tard pour annuler en ligne : le jour férié ne compte pas parmi les jours ouvrés
    Soit le <férié> est un jour férié : <nom du férié>
    Et Paul demande une visite périodique pour Lisa LERGY, à prévoir du 11/05/2026 au 29/05/2026, motif « Renouvellement du suivi individuel »
    Et le service convoque Lisa LERGY le <rendez-vous> de 9 h 00 à 9 h 30 avec Anne LEFÈVRE, au « Centre Dijon Toison d'Or »
    Et le <annulation demandée le> arrive ; chacun se reconnecte au portail
    Quand Paul annule le rendez-vous de Lisa LERGY
    Alors la demande est refusée avec le code CANCELLATION_TOO_LATE
    Et le message affiché contient « Le rendez-vous du <rendez-vous en toutes lettres> ne peut plus être annulé en ligne »
    Et le message affiché contient « 2 jours ouvrés à l'avance, au plus tard le <dernier jour> »
    Et le rendez-vous de Lisa LERGY, vu par Paul, est « Programmé »

    Exemples:
      | férié            | nom du férié       | rendez-vous         | rendez-vous en toutes lettres | annulation demandée le | dernier jour         |
      | lundi 25/05/2026 | Lundi de Pentecôte | mardi 26/05/2026    | mardi 26 mai 2026             | jeudi 21/05/2026       | mercredi 20 mai 2026 |
      | jeudi 14/05/2026 | Ascension          | vendredi 15/05/2026 | vendredi 15 mai 2026          | mardi 12/05/2026       | lundi 11 mai 2026    |

  Scénario: Le délai d'annulation est un paramètre du service : à 3 jours ouvrés, le mercredi est trop tard
    Soit le service fixe le délai d'annulation des rendez-vous à 3 jours ouvrés
    Et Paul demande une visite périodique pour Lisa LERGY, à prévoir du 18/05/2026 au 29/05/2026, motif « Renouvellement du suivi individuel »
    Et le service convoque Lisa LERGY le mardi 26/05/2026 de 9 h 00 à 9 h 30 avec Anne LEFÈVRE, au « Centre Dijon Toison d'Or »
    Et le mercredi 20/05/2026 arrive ; chacun se reconnecte au portail
    Quand Paul annule le rendez-vous de Lisa LERGY
    Alors la demande est refusée avec le code CANCELLATION_TOO_LATE
    Et le message affiché contient « 3 jours ouvrés à l'avance, au plus tard le mardi 19 mai 2026 »
    Et le rendez-vous de Lisa LERGY, vu par Paul, est « Programmé »

  Scénario: L'employeur ne peut pas demander une visite de pré-reprise ; le message dit qui peut la demander
    Quand Claire demande une visite de pré-reprise pour Lisa LERGY, à prévoir du 11/05/2026 au 29/05/2026, motif « Arrêt de travail depuis le 02/02/2026 »
    Alors la demande est refusée avec le code PRE_RETURN_NOT_BY_EMPLOYER
    Et le message affiché contient « L'employeur ne peut pas demander une visite de pré-reprise (articles L4624-2-4 et R4624-29 du Code du travail) »
    Et le message affiché contient « elle est demandée par le salarié, son médecin traitant, le médecin conseil de l'assurance maladie ou le médecin du travail. »
    Et Claire n'a aucun rendez-vous à venir
